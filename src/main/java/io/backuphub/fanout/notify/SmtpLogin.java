package io.backuphub.fanout.notify;

import jakarta.mail.PasswordAuthentication;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * The SMTP login of the email channel ({@code smtpLogin}, the smtp component's {@code authenticator}), from
 * {@code hub.notify.email.username} and {@code .password}: only when a user is set. An empty user and password
 * would still make the mail client try AUTH on a server that offers it; no user means no login, as before.
 * So the endpoint URI in routes/notify.yaml carries no password.
 */
public class SmtpLogin extends MailAuthenticator {

    private final String username;
    private final String password;

    public SmtpLogin(String username, String password) {
        this.username = username == null || username.isBlank() ? null : username.trim();
        this.password = this.username == null ? null : password;
    }

    /** Whether the channel logs in at all. */
    public boolean configured() {
        return username != null;
    }

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(username, password);
    }

    @Override
    public String toString() {
        return configured() ? "SMTP login as " + username : "no SMTP login";
    }
}
