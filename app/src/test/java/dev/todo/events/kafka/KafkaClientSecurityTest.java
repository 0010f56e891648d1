package dev.todo.events.kafka;

import io.micronaut.context.exceptions.ConfigurationException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client properties for each way of reaching the brokers, and that Kafka's own client accepts
 * them (a producer parses the JAAS line and loads the PEM trust store when it is built).
 */
class KafkaClientSecurityTest {

    static KafkaClientSecurity of(String protocol, String mechanism, String user, String password, String ca, String chain, String key) {
        return new KafkaClientSecurity(protocol, mechanism, user, password, ca, chain, key);
    }

    @Test
    void plainByDefault() {
        assertThat(KafkaClientSecurity.plaintext().properties()).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void scramOverTlsWithTheClustersCa() {
        Map<String, Object> p = of("SASL_SSL", "SCRAM-SHA-512", "dev.todo", "pa\"ss", "-----BEGIN CERTIFICATE-----x", "", "").properties();
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"dev.todo\" password=\"pa\\\"ss\";")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----x")
                .doesNotContainKey("ssl.keystore.key");
    }

    @Test
    void managedServiceWithPublicCaNeedsNoTrustStore() {
        assertThat(of("sasl_ssl", "PLAIN", "key", "secret", "", "", "").properties())
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
                .doesNotContainKey("ssl.truststore.certificates");
    }

    @Test
    void mutualTls() {
        assertThat(of("SSL", "", "", "", "CA", "CHAIN", "KEY").properties())
                .containsEntry("security.protocol", "SSL").containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.certificate.chain", "CHAIN").containsEntry("ssl.keystore.key", "KEY")
                .doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void incompleteSettingsAreRefusedWithTheVariableToFix() {
        assertThatThrownBy(() -> of("SASL_SSL", "SCRAM-SHA-512", "u", "", "", "", "").properties())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TODO_KAFKA_SASL_PASSWORD");
        assertThatThrownBy(() -> of("TLS", "", "", "", "", "", "").properties())
                .hasMessageContaining("TODO_KAFKA_SECURITY_PROTOCOL");
        assertThatThrownBy(() -> of("SASL_SSL", "GSSAPI", "u", "p", "", "", "").properties())
                .hasMessageContaining("TODO_KAFKA_SASL_MECHANISM");
        assertThatThrownBy(() -> of("SSL", "", "", "", "", "CHAIN", "").properties())
                .hasMessageContaining("TODO_KAFKA_KEYSTORE_KEY");
        assertThatThrownBy(() -> of("PLAINTEXT", "", "", "", "CA", "", "").properties())
                .hasMessageContaining("use SSL or SASL_SSL");
    }

    @Test
    void thePasswordNeverShowsInToString() {
        assertThat(of("SASL_SSL", "SCRAM-SHA-512", "u", "hunter2", "", "", "KEY").toString())
                .doesNotContain("hunter2").doesNotContain("KEY");
    }

    @Test
    void kafkasClientAcceptsScramOverTlsWithAPemCa(@TempDir Path dir) throws Exception {
        String ca = selfSignedCertificatePem(dir);
        Map<String, Object> config = new HashMap<>(of("SASL_SSL", "SCRAM-SHA-512", "dev.todo", "secret", ca, "", "").properties());
        // nothing listens here: the client connects lazily, building it is what checks the settings
        config.put("bootstrap.servers", "127.0.0.1:1");
        config.put("max.block.ms", 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThat(producer.metrics()).isNotEmpty();
        }
        config.put("ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()).close())
                .isInstanceOf(org.apache.kafka.common.KafkaException.class);
    }

    /** A CA certificate as a cluster operator would hand it out, made with the JDK's keytool. */
    static String selfSignedCertificatePem(Path dir) throws Exception {
        Path keystore = dir.resolve("ca.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=test-ca",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit"));
        Path pem = dir.resolve("ca.crt");
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", pem.toString()));
        return Files.readString(pem);
    }

    static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
