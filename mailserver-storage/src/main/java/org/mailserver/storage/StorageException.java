package org.mailserver.storage;

/** A storage failure with its {@link StorageError} and a message fit to show a user. */
public class StorageException extends Exception {
    private final StorageError error;

    public StorageException(StorageError error, String message) {
        super(message);
        this.error = error;
    }

    public StorageException(StorageError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public StorageError error() {
        return error;
    }
}
