/**
 * The contract between the IMAP protocol layer and the MIME layer for FETCH. The protocol layer parses
 * the data items into {@link org.mailserver.imap.fetch.FetchAttribute}s, renders FLAGS, UID, INTERNALDATE,
 * RFC822.SIZE and MODSEQ itself, sets \Seen, and asks a {@link org.mailserver.imap.fetch.MessageContentRenderer}
 * (found by {@link java.util.ServiceLoader}) for everything that needs the message content.
 */
package org.mailserver.imap.fetch;
