package dev.todo.events.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How the producer and consumers authenticate to the brokers. Plain (no TLS, no credentials) when
 * nothing is set, as on Minikube. {@code TODO_KAFKA_SECURITY_PROTOCOL}: PLAINTEXT, SSL, SASL_SSL or
 * SASL_PLAINTEXT; {@code TODO_KAFKA_SASL_MECHANISM} (SCRAM-SHA-512 by default, SCRAM-SHA-256, PLAIN)
 * with {@code TODO_KAFKA_SASL_USERNAME}/{@code _PASSWORD}; {@code TODO_KAFKA_TRUSTSTORE_CERTIFICATES},
 * the brokers' CA as PEM (the JVM's trust store when absent, as for most managed services);
 * {@code TODO_KAFKA_KEYSTORE_CERTIFICATE_CHAIN} and {@code TODO_KAFKA_KEYSTORE_KEY}, a client
 * certificate and its PKCS#8 key as PEM, for mutual TLS. PEM values come straight from Secret keys
 * (Strimzi's {@code ca.crt}, {@code user.crt}, {@code user.key}), so nothing is written to disk.
 */
@Singleton
@Requires(property = dev.todo.events.EventTransports.PROPERTY, value = dev.todo.events.EventTransports.KAFKA)
public record KafkaClientSecurity(@Value("${todo.kafka.security.protocol:PLAINTEXT}") String protocol,
                                  @Value("${todo.kafka.security.sasl-mechanism:SCRAM-SHA-512}") String saslMechanism,
                                  @Value("${todo.kafka.security.sasl-username:}") String saslUsername,
                                  @Value("${todo.kafka.security.sasl-password:}") String saslPassword,
                                  @Value("${todo.kafka.security.truststore-certificates:}") String truststoreCertificates,
                                  @Value("${todo.kafka.security.keystore-certificate-chain:}") String keystoreCertificateChain,
                                  @Value("${todo.kafka.security.keystore-key:}") String keystoreKey) {
    static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT");
    static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

    /** Plain connections: the defaults above. */
    public static KafkaClientSecurity plaintext() {
        return new KafkaClientSecurity("PLAINTEXT", "SCRAM-SHA-512", "", "", "", "", "");
    }

    /** Client properties for producers, consumers and admin clients alike; refuses incomplete settings. */
    public Map<String, Object> properties() {
        String p = protocol.trim().toUpperCase();
        if (!PROTOCOLS.contains(p)) {
            throw new ConfigurationException("TODO_KAFKA_SECURITY_PROTOCOL must be one of " + PROTOCOLS + ", not " + protocol);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("security.protocol", p);
        if (p.startsWith("SASL")) {
            if (!MECHANISMS.contains(saslMechanism)) {
                throw new ConfigurationException("TODO_KAFKA_SASL_MECHANISM must be one of " + MECHANISMS + ", not " + saslMechanism);
            }
            if (saslUsername.isBlank() || saslPassword.isBlank()) {
                throw new ConfigurationException("TODO_KAFKA_SASL_USERNAME and TODO_KAFKA_SASL_PASSWORD are required with " + p);
            }
            String module = saslMechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            c.put("sasl.mechanism", saslMechanism);
            c.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(saslUsername)
                    + "\" password=\"" + jaasEscape(saslPassword) + "\";");
        }
        if (p.equals("SSL") || p.equals("SASL_SSL")) {
            if (!truststoreCertificates.isBlank()) {
                c.put("ssl.truststore.type", "PEM");
                c.put("ssl.truststore.certificates", truststoreCertificates);
            }
            if (keystoreCertificateChain.isBlank() != keystoreKey.isBlank()) {
                throw new ConfigurationException("TODO_KAFKA_KEYSTORE_CERTIFICATE_CHAIN and TODO_KAFKA_KEYSTORE_KEY go together");
            }
            if (!keystoreKey.isBlank()) {
                c.put("ssl.keystore.type", "PEM");
                c.put("ssl.keystore.certificate.chain", keystoreCertificateChain);
                c.put("ssl.keystore.key", keystoreKey);
            }
        } else if (!truststoreCertificates.isBlank() || !keystoreKey.isBlank()) {
            throw new ConfigurationException("TLS certificates are set but TODO_KAFKA_SECURITY_PROTOCOL is " + p
                    + ": use SSL or SASL_SSL");
        }
        return c;
    }

    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Never prints the password or the key. */
    @Override
    public String toString() {
        return "KafkaClientSecurity[protocol=" + protocol + ", saslMechanism=" + saslMechanism + ", saslUsername=" + saslUsername + "]";
    }
}
