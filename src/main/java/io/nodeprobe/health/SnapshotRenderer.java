package io.nodeprobe.health;

/** One format of the health endpoint. Renderers only format; the verdict is the snapshot's. */
public interface SnapshotRenderer {
    String contentType();

    String render(HealthSnapshot snapshot);
}
