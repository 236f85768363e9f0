package io.nodeprobe.localcloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link ImdsEmulator} and {@link StsEmulator} over the role documents that scripts/local-cloud.sh writes,
 * until SIGTERM/SIGINT. Usage:
 * <pre>
 * java -cp target/test-classes io.nodeprobe.localcloud.LocalCloudMain --roles-dir DIR [--role np-full]
 *      [--imds-port 18090] [--sts-port 18091] [--account 123456789012] [--imds-v1]
 * </pre>
 * Prints {@code AWS_EC2_METADATA_SERVICE_ENDPOINT=...} and {@code AWS_ENDPOINT_URL_STS=...} on stdout. Switch the
 * node's role while it runs with {@code curl -X PUT http://127.0.0.1:18090/_emulator/role/np-no-put}
 * ({@code curl -X DELETE .../_emulator/role} leaves the instance profile without a role).
 */
public final class LocalCloudMain {

    record Options(Path rolesDir, String role, int imdsPort, int stsPort, String account, boolean imdsV1) {
        static Options parse(String[] args) {
            Path rolesDir = null;
            String role = "np-full";
            int imdsPort = 18090;
            int stsPort = 18091;
            String account = ImdsEmulator.DEFAULT_ACCOUNT;
            boolean imdsV1 = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--roles-dir" -> rolesDir = Path.of(value(args, ++i, arg));
                    case "--role" -> role = value(args, ++i, arg);
                    case "--imds-port" -> imdsPort = Integer.parseInt(value(args, ++i, arg));
                    case "--sts-port" -> stsPort = Integer.parseInt(value(args, ++i, arg));
                    case "--account" -> account = value(args, ++i, arg);
                    case "--imds-v1" -> imdsV1 = true;
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (rolesDir == null) {
                throw new IllegalArgumentException("--roles-dir is required");
            }
            return new Options(rolesDir, role, imdsPort, stsPort, account, imdsV1);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: LocalCloudMain --roles-dir DIR [--role NAME] [--imds-port N] [--sts-port N]"
                    + " [--account ID] [--imds-v1]");
            System.exit(2);
            return;
        }
        Path document = options.rolesDir().resolve(options.role() + ".json");
        if (!Files.isRegularFile(document)) {
            System.err.println("warning: " + document + " does not exist (yet); IMDS answers 404 for it until it does");
        }
        ImdsEmulator imds = ImdsEmulator.start(options.imdsPort()).account(options.account())
                .role(options.role(), document).roleSwitching(options.rolesDir()).v1Allowed(options.imdsV1());
        StsEmulator sts = StsEmulator.start(options.stsPort())
                .identitiesFromRoles(options.rolesDir(), options.account(), ImdsEmulator.DEFAULT_INSTANCE_ID);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            imds.close();
            sts.close();
            stopped.countDown();
        }));
        System.out.println("AWS_EC2_METADATA_SERVICE_ENDPOINT=" + imds.endpoint());
        System.out.println("AWS_ENDPOINT_URL_STS=" + sts.endpoint());
        System.out.flush();
        stopped.await();
    }
}
