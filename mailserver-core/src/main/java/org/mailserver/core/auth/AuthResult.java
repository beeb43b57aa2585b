package org.mailserver.core.auth;

/**
 * The outcome of a login or SASL exchange. On success {@code user} is the canonical user name
 * (after auth_username_format) and {@code userInfo} its userdb record.
 */
public record AuthResult(Status status, String user, UserInfo userInfo, String reason) {

    public enum Status {
        /** Credentials right. */
        OK,
        /** Wrong user or password, or the user may not log in (nologin, allow_nets). */
        FAILED,
        /** Too many recent failures from this IP or for this user: try again later. */
        LOCKED_OUT,
        /** The auth backend failed (file unreadable...): a temporary error. */
        TEMPORARY_FAILURE
    }

    public static AuthResult ok(String user, UserInfo info) {
        return new AuthResult(Status.OK, user, info, null);
    }

    public static AuthResult failed(String reason) {
        return new AuthResult(Status.FAILED, null, null, reason);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
