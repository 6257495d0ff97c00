package io.tiergate.classifier.sensitive;

import static io.tiergate.classifier.sensitive.SensitiveKind.API_KEY;
import static io.tiergate.classifier.sensitive.SensitiveKind.CREDENTIAL;
import static io.tiergate.classifier.sensitive.SensitiveKind.JWT;
import static io.tiergate.classifier.sensitive.SensitiveKind.PRIVATE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets: provider key formats (API_KEY), every other credential (CREDENTIAL), private keys, JWTs;
 * and the placeholders, references and code that only look like them. The keys below are random
 * strings in the documented shapes, not real keys.
 */
class SensitiveSecretsTest {

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    @ParameterizedTest(name = "credential: {0}")
    @ValueSource(
            strings = {
                // credentials in URLs and connection strings
                "DATABASE_URL=postgres://orders_app:Vq7#pLw2Xe19@db-prod-2.internal:5432/orders",
                "mongodb+srv://svc-catalog:q8RfT2xLm0Vb4N@cluster0.x7fqa.mongodb.net/catalog",
                "broker_url = 'amqp://celery:Zk29fQpL3mXa@rabbit-01.prod.lan:5672/jobs'",
                "redis://default:Hq4vN8sT2kLm9PxW3cYb@redis-16432.cloud.redislabs.com:16432",
                "rediss://:Hq4vN8sT2kLm@cache.internal:6380/0",
                "ftp://upload:Kp8#wQ2z@ftp.printhouse-berg.de/incoming/",
                "https://jmiller:F7xQ2mPz8LwK4vRt0YhN@bitbucket.org/acme/payments.git",
                "jdbc:mysql://mysql-eu:3306/billing?user=billing_rw&password=Tr0ub4dor!x&useSSL=true",
                "jdbc:sqlserver://reports:1433;databaseName=finance;user=rpt;password=Rp#2024Secure;",
                "Server=tcp:sql-hr-01,1433;Initial Catalog=hr;User ID=hr_admin;Password=Hx9!kLm2Qw;Encrypt=True;",
                "Data Source=10.1.4.22;Database=Inventory;User Id=inv_svc;Pwd=Inv3nt0ry#24;",
                "jdbc:oracle:thin:ledger/Lg7xQ2pW9k@db-ora:1521:orcl",
                // assignments
                "POSTGRES_PASSWORD=Sh0pPass!2024",
                "password: \"Kx8#mQ2vLp\"",
                "\"password\": \"Kx8#mQ2vLp\"",
                "spring.datasource.password=Kx8mQ2vLp7",
                "JWT_SECRET=a3f9c2e7b1d84f6a9e0c5b2d7f1a8e3c",
                "client_secret: 7Q~xZp2.Lk9vR_3mN8tB4yW6cF1hJ5gD0sA",
                "SECRET_KEY = 'django-insecure-8f7k2x9q4m1v6b3n0p5r'",
                "master_password = \"Rds!Prod2024x\"",
                "<password>kaSx&CTq2w48</password>",
                "proxy_set_header X-Api-Key 7db6d4d16260760007152457938b4124;",
                "API key: 3f8a9c2b7d1e4f6a8b0c2d4e6f8a1b3c",
                "contraseña: Kycc#7uACA74",
                "Das neue WLAN-Passwort lautet Kaffee-7731-Mond",
                "my password is Summer2024! and it fails",
                "connect with user admin and password P4ss#Word!77x",
                "password=Password123!",
                "DB_PASSWORD=Pr0d-DB-2024!",
                "mysql://root:Sup3rS3cret@localhost:3306/app",
                "        - name: DB_PASSWORD\n          value: \"Kx8#mQ2vLp\"",
                "var cs = \\\"Password=Kx8mQ2vLp7;\\\"",
                // headers and command lines
                "Authorization: Bearer Zk29fQpL3mXaHq4vN8sT2kLm9PxW3cYb",
                "curl -u admin:Adm1n#2024 https://jira.intra/rest",
                "mysqldump -h 10.0.4.7 -u backup -pwmUm%W6W4E85 --all-databases",
                "docker login -u ci-bot -p Xk92LmQp7RtZ4vWb registry.example-corp.net",
                "sshpass -p 'Sftp#2024x' sftp exporter@10.9.0.40",
                "redis-cli -h cache -a 'xK9#mPq2Lw' ping",
                "CREATE USER 'reporting'@'%' IDENTIFIED BY 'Rep0rt!ng24';",
                "machine api.host.io login bot password Zx9Qw2Lk8",
            })
    void findsCredentials(String text) {
        assertThat(detector.detect(text)).contains(CREDENTIAL);
    }

    @Test
    void basicAuthIsDecodedAndJudged() {
        String real = Base64.getEncoder().encodeToString("admin:Password123!".getBytes(StandardCharsets.UTF_8));
        String placeholder = Base64.getEncoder().encodeToString("user:password".getBytes(StandardCharsets.UTF_8));
        assertThat(detector.detect("Authorization: Basic " + real)).contains(CREDENTIAL);
        assertThat(detector.detect("Authorization: Basic " + placeholder)).isEmpty();
    }

    @ParameterizedTest(name = "no credential: {0}")
    @ValueSource(
            strings = {
                "postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/${DB_NAME}",
                "mongodb+srv://<username>:<password>@cluster0.mongodb.net/",
                "amqp://guest:guest@localhost:5672/",
                "postgresql://user:password@localhost:5432/mydb",
                "redis://localhost:6379/0",
                "Server=myServerAddress;Database=myDataBase;User Id=myUsername;Password=myPassword;",
                "jdbc:postgresql://db:5432/app?user=app&password=%s",
                "https://oauth2:ACCESS_TOKEN@gitlab.com/group/project.git",
                "POSTGRES_PASSWORD=",
                "password: changeme",
                "password=[REDACTED] token=redacted",
                "secret: \"****\"",
                "api_key = 'YOUR_API_KEY'",
                "password: ${POSTGRES_PASSWORD}",
                "db_password: {{ vault_db_password }}",
                "password: !vault | $ANSIBLE_VAULT;1.1;AES256",
                "password = os.environ['DB_PASSWORD']",
                "password = request.form['password']",
                "const token = localStorage.getItem('token')",
                "class Settings(BaseSettings): db_password: SecretStr",
                "password: str",
                "password_min_length: 12",
                "token_type: Bearer",
                "expires_in: 3600",
                "max_tokens=4096",
                "tokenizer: cl100k_base",
                "secretKeyRef:\n  name: db-credentials\n  key: password",
                "idempotency_key=9b2f1c4e-7d3a-4e8b-a1c6-5f0d2e9b7a31",
                "the cache key is user:42:profile:v3",
                "Our publishable key pk_live_51HqLyjWDarjtT1zdp7dc is in the frontend",
                "My password is too weak according to the form",
                "the token is expired, request a new one",
                "Authorization: Bearer <token>",
                "Authorization: Bearer $TOKEN",
                "docker login -u bot --password-stdin",
                "mysql -u root -p",
                "SESSION_SECRET=keyboard cat",
                "routing_key: orders.created.v1",
                "key_vault: kv-prod-weu-01",
                "secret_name: prod/db/credentials",
                "password: password123",
                "postgres://postgres:postgres@localhost:5432/postgres",
                "PGPASSWORD=$PGPASSWORD psql -h db",
                "SECRET_KEY=your-secret-key",
                "token: ${{ secrets.GITHUB_TOKEN }}",
                "api_key: \"<YOUR_KEY>\"",
                "docker run -e POSTGRES_PASSWORD=mysecretpassword -d postgres",
            })
    void ignoresPlaceholdersReferencesAndCode(String text) {
        assertThat(detector.detect(text)).doesNotContain(CREDENTIAL, API_KEY);
    }

    @ParameterizedTest(name = "provider key: {0}")
    @ValueSource(
            strings = {
                "aws_access_key_id = AKIAYDRN2VU3IX4DN7E7",
                "AWS_ACCESS_KEY_ID=ASIAQ3ZX7W2K5M8P4R6T",
                "aws_secret_access_key = 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",
                "log: AWS_SECRET_ACCESS_KEY=Kue8+2UjAmk7kZF8ZLEHDwJsEmfgy/TblzIR7x99 for bucket exports",
                "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R",
                "gho_Zq8Lm2Xv7Pk4Rt1Yw9Bn3Cd6Fg0Hj5Ks2Ae7",
                "github_pat_11ABCDEFG0aB3dE5fG7hI9_jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9dE1fG3hI5jK7lM9nO1pQ3rS5tU7vW9xY1zA3bC5dE7",
                "GIT_TOKEN=glpat-xK9mQ2vLp7Rt4ZwB8nYc",
                "xoxb-113236207428-7391625366982-ursyaqqbthvivnkufelmxaza",
                "https://hooks.slack.com/services/T024BE7LD/B01AB2CD3EF/aBcDeFgHiJkLmNoPqRsTuVwX",
                "stripe.api_key = \"sk_live_51H8abcdEFGH1234ijklMNOP\"",
                "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
                "rk_live_9xQ2mLp7Rt4ZwB8nYcK3vJ5h",
                "key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
                "OPENAI_API_KEY=sk-proj-4fG7hJ2kL9mN3pQ8rS1tU6vW0xY5zA2b",
                "sk-ant-api03-Zq8Lm2Xv7Pk4Rt1Yw9Bn3Cd6Fg0Hj5Ks2AeZq8Lm2Xv7Pk4Rt1Yw9Bn3Cd6Fg0Hj5Ks2Ae-Zq8Lm2Xv7Pk4Rt1Yw9Bn3Cd6Fg0Hj5Ks2AeAA",
                "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",
                "hf_Zq8Lm2Xv7Pk4Rt1Yw9Bn3Cd6Fg0Hj5Ks2",
                "npm_Zq8Lm2Xv7Pk4Rt1Yw9Bn3Cd6Fg0Hj5Ks2Ae3",
                "BOT_TOKEN=7528300762:AAPrlG_oPouwiEOrjkd71o0BvVy-3usAX6_",
                "AKIAIOSFODNN7EXAMPLE (the AWS documentation key is key-shaped and still counts)",
            })
    void findsProviderKeys(String text) {
        assertThat(detector.detect(text)).contains(API_KEY).doesNotContain(CREDENTIAL);
    }

    @ParameterizedTest(name = "no provider key: {0}")
    @ValueSource(
            strings = {
                "export OPENAI_API_KEY=sk-your-key-goes-here-xxxxxxxxxxxx",
                "AKIA1234 and ghp_abc and xoxb-your-token-here",
                "OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx and sk-abcdefghijklmnopqrstuvwxyz",
                "export GITHUB_TOKEN=ghp_REPLACEwithYOURtoken0000000000000000",
                "key = AKIAXXXXXXXXXXXXXXXX",
                "GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                "xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX",
                "STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx",
                "class=\"sk-spinner-fading-circle sk-cube-grid\"",
                "AWS_SECRET_ACCESS_KEY=****************************************",
                "client = Anthropic(api_key=\"sk-ant-...\")",
            })
    void ignoresProviderPlaceholders(String text) {
        assertThat(detector.detect(text)).doesNotContain(API_KEY, CREDENTIAL);
    }

    @Test
    void aPemPrivateKeyNeedsABody() {
        assertThat(detector.detect("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n"))
                .containsExactly(PRIVATE_KEY);
        // a body shortened by hand still starts as every DER key does
        assertThat(detector.detect("-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----"))
                .containsExactly(PRIVATE_KEY);
        assertThat(detector.detect("{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0B\\n\"}"))
                .containsExactly(PRIVATE_KEY);
        assertThat(
                        detector.detect(
                                "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ci\nPublic-Lines: 2\nAAAA\nAAAA\nPrivate-Lines: 1\nAAAA"))
                .containsExactly(PRIVATE_KEY);
        // the header alone is how documentation names the format
        assertThat(
                        detector.detect(
                                "How do I convert a file starting with -----BEGIN RSA PRIVATE KEY----- to the -----BEGIN PRIVATE KEY----- format?"))
                .isEmpty();
        assertThat(detector.detect("-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----"))
                .isEmpty();
        assertThat(detector.detect("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"))
                .isEmpty();
    }

    @Test
    void aJwtCutShortStillCountsWhenItsHeaderDecodes() {
        String header = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(detector.detect("token: " + header + ".eyJzdWIiOiJ1MSIsImV4cCI6MTk5.c2ln"))
                .containsExactly(JWT);
        assertThat(detector.detect("header.payload.signature, e.g. xxxxx.yyyyy.zzzzz"))
                .isEmpty();
    }
}
