package dev.todo.webhooks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationGuardTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no name server involved
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254",
            "192.168.0.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1",
            "239.255.255.250", "255.255.255.255", "240.0.0.1", "192.0.0.8", "198.18.0.1",
            "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1", "::ffff:10.1.2.3",
            "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::1",
            "64:ff9b:1::a9fe:a9fe", "64:ff9b:1:ffff::1"})
    void nonPublicAddressesAreRefused(String literal) {
        assertThat(DestinationGuard.refusal(ip(literal))).as(literal).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.0.1", "11.0.0.1", "192.169.0.1", "198.20.0.1", "2001:4860:4860::8888",
            "2606:4700:4700::1111", "64:ff9b::808:808", "2002:0808:0808::1"})
    void publicAddressesPass(String literal) {
        assertThat(DestinationGuard.refusal(ip(literal))).as(literal).isNull();
    }

    @Test
    void kindsAreNamed() {
        assertThat(DestinationGuard.refusal(ip("127.0.0.1"))).isEqualTo("loopback");
        assertThat(DestinationGuard.refusal(ip("169.254.169.254"))).isEqualTo("link-local");
        assertThat(DestinationGuard.refusal(ip("100.64.0.1"))).isEqualTo("carrier-grade NAT");
        assertThat(DestinationGuard.refusal(ip("fd00::1"))).isEqualTo("unique-local");
        assertThat(DestinationGuard.refusal(ip("10.0.0.1"))).isEqualTo("private");
        assertThat(DestinationGuard.refusal(ip("2001:0:4136:e378:8000:63bf:3fff:fdd2"))).isEqualTo("Teredo");
        assertThat(DestinationGuard.refusal(ip("64:ff9b:1::a00:1"))).isEqualTo("local-use NAT64");
    }

    @Test
    void everyAddressANameResolvesToMustBePublic() {
        Map<String, InetAddress[]> dns = Map.of(
                "public.example", new InetAddress[]{ip("93.184.215.14")},
                "mixed.example", new InetAddress[]{ip("93.184.215.14"), ip("10.0.0.7")},
                "::1", new InetAddress[]{ip("::1")});
        DestinationGuard guard = new DestinationGuard(false, host -> {
            InetAddress[] a = dns.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return a;
        });
        assertThatCode(() -> guard.check(URI.create("https://public.example/hook"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(URI.create("https://mixed.example/hook")))
                .isInstanceOf(DestinationGuard.RefusedException.class).hasMessageContaining("10.0.0.7").hasMessageContaining("private");
        assertThatThrownBy(() -> guard.check(URI.create("https://nowhere.example/hook")))
                .hasMessageContaining("could not be resolved");
        assertThatThrownBy(() -> guard.check(URI.create("http://[::1]:8080/hook"))).hasMessageContaining("loopback");

        DestinationGuard open = new DestinationGuard(true, host -> {
            throw new AssertionError("with private destinations allowed nothing is resolved");
        });
        assertThatCode(() -> open.check(URI.create("http://10.0.0.1/hook"))).doesNotThrowAnyException();
    }

    @Test
    void retryDelaysDoubleFromTheFirstUpToTheCap() {
        WebhookSettings s = new WebhookSettings(false, 20, 8, java.time.Duration.ofSeconds(10), java.time.Duration.ofMinutes(5),
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10), 8);
        assertThat(s.retryDelay(1)).hasSeconds(10);
        assertThat(s.retryDelay(2)).hasSeconds(20);
        assertThat(s.retryDelay(4)).hasSeconds(80);
        assertThat(s.retryDelay(6)).hasMinutes(5);
        assertThat(s.retryDelay(60)).hasMinutes(5);
    }
}
