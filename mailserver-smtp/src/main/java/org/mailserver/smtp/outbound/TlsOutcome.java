package org.mailserver.smtp.outbound;

/** What a TLS handshake proved about the server, named as Postfix logs it. */
public enum TlsOutcome {
    /** Certificate chain trusted and the name matched (verify/secure succeed only with this). */
    VERIFIED("Verified"),
    /** Certificate chain trusted, name not matched. */
    TRUSTED("Trusted"),
    /** Encrypted, certificate not trusted. */
    UNTRUSTED("Untrusted"),
    /** Encrypted without a server certificate. */
    ANONYMOUS("Anonymous");

    private final String label;

    TlsOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
