package org.mailserver.storage;

/** RFC 6154 special-use attributes. */
public enum SpecialUse {
    ALL("\\All"), ARCHIVE("\\Archive"), DRAFTS("\\Drafts"), FLAGGED("\\Flagged"), JUNK("\\Junk"), SENT("\\Sent"), TRASH("\\Trash");

    private final String attribute;

    SpecialUse(String attribute) {
        this.attribute = attribute;
    }

    /** The IMAP attribute, e.g. {@code \Sent}. */
    public String attribute() {
        return attribute;
    }

    public static SpecialUse fromAttribute(String attribute) {
        for (SpecialUse u : values()) {
            if (u.attribute.equalsIgnoreCase(attribute)) {
                return u;
            }
        }
        return null;
    }
}
