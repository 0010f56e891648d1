package dev.todo.webhooks;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Keeps webhooks from reaching into the platform's own network (server-side request forgery): a
 * destination whose host resolves to a loopback, private, link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, unique-local, unspecified, multicast or reserved address is
 * refused, unless {@code todo.webhooks.allow-private} is set. Every address the name resolves to
 * must be public, since the HTTP client may pick any of them. It is checked at registration and
 * again at each delivery, because what a name resolves to can change: the sender connects through
 * {@link #addresses(String)}, so it reaches exactly the addresses that were checked, never those of
 * a second lookup (a name that answers a public address to the check and a private one to the
 * connection, DNS rebinding, gets nowhere).
 */
@Singleton
public class DestinationGuard {

    /** A host name lookup; {@link InetAddress#getAllByName} in production. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The destination may not be called; the message says why, for people. */
    public static class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    /** With the system's name lookup, or a {@link Resolver} bean where one is given (a test's name server). */
    @Inject
    public DestinationGuard(WebhookSettings settings, @io.micronaut.core.annotation.Nullable Resolver resolver) {
        this(settings.allowPrivate(), resolver != null ? resolver : InetAddress::getAllByName);
    }

    public DestinationGuard(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /** Resolves the URL's host and refuses it when any of its addresses is not public. */
    public void check(URI url) throws RefusedException {
        if (allowPrivate) {
            return;
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new RefusedException("has no host");
        }
        addresses(host);
    }

    /**
     * The addresses to connect to for {@code host}, from one lookup, each of them checked; refused
     * when any is not public (unless private destinations are allowed).
     */
    public InetAddress[] addresses(String host) throws RefusedException {
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedException("host '" + host + "' could not be resolved");
        }
        if (addresses == null || addresses.length == 0) {
            throw new RefusedException("host '" + host + "' could not be resolved");
        }
        if (allowPrivate) {
            return addresses;
        }
        for (InetAddress a : addresses) {
            String kind = refusal(a);
            if (kind != null) {
                throw new RefusedException("host '" + host + "' resolves to " + a.getHostAddress() + ", a " + kind
                        + " address; webhooks may only call public addresses");
            }
        }
        return addresses;
    }

    /** The kind of non-public address this is (e.g. "loopback"), or null for a public one. */
    static String refusal(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? ipv4(b, 0) : ipv6(b);
    }

    private static String ipv4(byte[] bytes, int at) {
        int a = bytes[at] & 0xff;
        int b = bytes[at + 1] & 0xff;
        int c = bytes[at + 2] & 0xff;
        if (a == 0) {
            return "unspecified";
        }
        if (a == 127) {
            return "loopback";
        }
        if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) {
            return "private";
        }
        if (a == 169 && b == 254) {
            return "link-local";
        }
        if (a == 100 && (b & 0xc0) == 64) {
            return "carrier-grade NAT";
        }
        if ((a & 0xf0) == 224) {
            return "multicast";
        }
        // 240/4 with the broadcast address, IETF protocol assignments, benchmarking networks
        if ((a & 0xf0) == 240 || (a == 192 && b == 0 && c == 0) || (a == 198 && (b & 0xfe) == 18)) {
            return "reserved";
        }
        return null;
    }

    private static String ipv6(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        if (zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return ipv4(b, 12); // IPv4-mapped ::ffff:a.b.c.d
        }
        if (zeroPrefix && b[10] == 0 && b[11] == 0) {
            boolean upperZero = b[12] == 0 && b[13] == 0 && b[14] == 0;
            if (upperZero && b[15] == 0) {
                return "unspecified";
            }
            if (upperZero && b[15] == 1) {
                return "loopback";
            }
            return ipv4(b, 12); // IPv4-compatible ::a.b.c.d
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0xff) {
            return "multicast";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return "link-local";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return "private"; // site-local, deprecated
        }
        if ((b0 & 0xfe) == 0xfc) {
            return "unique-local";
        }
        // addresses that carry an IPv4 address: NAT64 64:ff9b::/96 and 6to4 2002::/16
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            boolean zero = true;
            for (int i = 4; i < 12; i++) {
                zero &= b[i] == 0;
            }
            if (zero) {
                return ipv4(b, 12);
            }
        }
        if (b0 == 0x20 && b1 == 0x02) {
            return ipv4(b, 2);
        }
        // local-use NAT64 64:ff9b:1::/48 (RFC 8215): translated inside the operator's network
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0 && b[5] == 1) {
            return "local-use NAT64";
        }
        // Teredo 2001::/32: a tunnel whose obfuscated IPv4 end cannot be checked like a plain address
        if (b0 == 0x20 && b1 == 0x01 && b[2] == 0 && b[3] == 0) {
            return "Teredo";
        }
        return null;
    }
}
