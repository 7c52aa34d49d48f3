package io.backuphub.fanout.notify;

import jakarta.mail.PasswordAuthentication;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpLoginTest {

    /** An empty user and password would still make the mail client try AUTH; none at all means no login. */
    @Test
    void withoutAUserTheEmailChannelGivesTheMailClientNoCredentials() {
        SmtpLogin none = new SmtpLogin(" ", "ignored");
        PasswordAuthentication credentials = none.getPasswordAuthentication();
        assertFalse(none.configured());
        assertNull(credentials.getUserName());
        assertNull(credentials.getPassword());
    }

    @Test
    void withAUserTheEmailChannelLogsInWithItsPassword() {
        SmtpLogin mailer = new SmtpLogin("mailer", "pw");
        assertTrue(mailer.configured());
        assertEquals("mailer", mailer.getPasswordAuthentication().getUserName());
        assertEquals("pw", mailer.getPasswordAuthentication().getPassword());
        assertFalse(mailer.toString().contains("pw"), "the password is never shown");
    }
}
