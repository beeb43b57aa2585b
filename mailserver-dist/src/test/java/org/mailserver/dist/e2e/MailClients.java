package org.mailserver.dist.e2e;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/**
 * Jakarta Mail as a user's mail client against a {@link TestMailServer}: SMTP submission (587 with
 * STARTTLS, 465 with implicit TLS) with AUTH PLAIN, and IMAP (143 with STARTTLS, 993). TLS verifies the
 * server's generated certificate and its name (127.0.0.1 is in its subject alternative names).
 */
final class MailClients {
    private MailClients() {
    }

    static Properties smtpProperties(TestMailServer server, String service, boolean implicitTls) throws Exception {
        Properties p = new Properties();
        String proto = implicitTls ? "smtps" : "smtp";
        p.put("mail." + proto + ".host", "127.0.0.1");
        p.put("mail." + proto + ".port", Integer.toString(server.port(service)));
        p.put("mail." + proto + ".connectiontimeout", "5000");
        p.put("mail." + proto + ".timeout", "10000");
        p.put("mail." + proto + ".localhost", "laptop.example.test");
        p.put("mail." + proto + ".auth", "true");
        p.put("mail." + proto + ".auth.mechanisms", "PLAIN");
        p.put("mail." + proto + ".ssl.socketFactory", server.trustingServerCertificate().getSocketFactory());
        p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        if (!implicitTls) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        return p;
    }

    /** Submits a text message from {@code user} through the {@code submission} (STARTTLS) or {@code submissions} service. */
    static void submit(TestMailServer server, String service, String user, String password, String rcpt, String subject,
                       String text) throws Exception {
        submitAs(server, service, user, password, user, rcpt, subject, text);
    }

    /** As {@link #submit}, with {@code from} as the envelope and header sender (which may differ from the login). */
    static void submitAs(TestMailServer server, String service, String user, String password, String from, String rcpt,
                         String subject, String text) throws Exception {
        boolean implicitTls = service.equals("submissions");
        Session session = Session.getInstance(smtpProperties(server, service, implicitTls));
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipients(Message.RecipientType.TO, rcpt);
        m.setSubject(subject);
        m.setText(text, "UTF-8");
        try (Transport t = session.getTransport(implicitTls ? "smtps" : "smtp")) {
            t.connect(user, password);
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    static Store imap(TestMailServer server, boolean implicitTls, String user, String password) throws Exception {
        Properties p = new Properties();
        String proto = implicitTls ? "imaps" : "imap";
        p.put("mail." + proto + ".host", "127.0.0.1");
        p.put("mail." + proto + ".port", Integer.toString(server.port(proto)));
        p.put("mail." + proto + ".connectiontimeout", "5000");
        p.put("mail." + proto + ".timeout", "10000");
        p.put("mail." + proto + ".ssl.socketFactory", server.trustingServerCertificate().getSocketFactory());
        p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        if (!implicitTls) {
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.starttls.required", "true");
        }
        Store store = Session.getInstance(p).getStore(proto);
        store.connect(user, password);
        return store;
    }
}
