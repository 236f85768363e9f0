package io.nodeprobe.nativeimage;

import com.oracle.svm.core.annotate.Delete;
import com.oracle.svm.core.annotate.TargetClass;
import java.util.function.BooleanSupplier;

/**
 * Native-image only: removes the S3 SDK's CRT-only interceptor when aws-crt is not on the class path.
 *
 * <p>Why: {@code DefaultS3CrtAsyncClient$AttachHttpAttributesExecutionInterceptor} reads
 * {@code S3InternalSdkHttpExecutionAttribute.CRT_PAUSE_RESUME_TOKEN}, whose type is
 * {@code software.amazon.awssdk.crt.s3.ResumeToken}. nodeprobe uses the url-connection client and does not ship
 * aws-crt, so that class is missing, yet the interceptor is still reachable for the analysis; GraalVM/Mandrel 25
 * then fails with {@code NoClassDefFoundError: software/amazon/awssdk/crt/s3/ResumeToken} (at build time, or at run
 * time when unresolved types are allowed). quarkus-amazon-s3 3.12.0 already deletes {@code DefaultS3CrtAsyncClient}
 * and {@code S3CrtAsyncClient} in that case but not this nested class; 3.13.0 adds exactly this deletion
 * (Quarkiverse amazon-services issue 1950). Remove this class once quarkus-amazon.version is 3.13.0 or newer.
 *
 * <p>Has no effect on the JVM: only the native-image builder reads {@link TargetClass}.
 */
final class S3CrtAbsentSubstitutions {
    private S3CrtAbsentSubstitutions() {
    }

    /** True when the AWS Common Runtime (aws-crt) is not on the image class path. */
    static final class CrtAbsent implements BooleanSupplier {
        @Override
        public boolean getAsBoolean() {
            try {
                Class.forName("software.amazon.awssdk.crt.CRT", false, CrtAbsent.class.getClassLoader());
                return false;
            } catch (ClassNotFoundException | LinkageError e) {
                return true;
            }
        }
    }

    @TargetClass(className = "software.amazon.awssdk.services.s3.internal.crt."
            + "DefaultS3CrtAsyncClient$AttachHttpAttributesExecutionInterceptor", onlyWith = CrtAbsent.class)
    @Delete
    static final class Delete_AttachHttpAttributesExecutionInterceptor {
    }
}
