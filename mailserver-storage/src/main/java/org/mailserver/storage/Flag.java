package org.mailserver.storage;

/** The IMAP system flags that are stored (\Recent is per session, not stored). Maildir letters per the Maildir spec. */
public enum Flag {
    ANSWERED("\\Answered", 'R'), DELETED("\\Deleted", 'T'), DRAFT("\\Draft", 'D'), FLAGGED("\\Flagged", 'F'), SEEN("\\Seen", 'S');

    private final String imapName;
    private final char maildirLetter;

    Flag(String imapName, char maildirLetter) {
        this.imapName = imapName;
        this.maildirLetter = maildirLetter;
    }

    public String imapName() {
        return imapName;
    }

    public char maildirLetter() {
        return maildirLetter;
    }

    public static Flag fromImap(String name) {
        for (Flag f : values()) {
            if (f.imapName.equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }
}
