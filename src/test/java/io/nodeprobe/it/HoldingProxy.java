package io.nodeprobe.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

/**
 * A plain TCP front for RGW that forwards everything until a request carrying {@code marker} arrives, and then
 * holds it: a run is thereby stopped at a known call (an UploadPart, say) so that a kill lands exactly there.
 */
final class HoldingProxy implements AutoCloseable {
    private final Relay relay;

    HoldingProxy(URI upstream, String marker) throws IOException {
        relay = new Relay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), upstream, marker,
                "holding-proxy");
    }

    String endpoint() {
        return "http://127.0.0.1:" + relay.port();
    }

    /** True once a request with the marker has been held. */
    boolean holding() {
        return relay.holding();
    }

    @Override
    public void close() throws IOException {
        relay.close();
    }
}
