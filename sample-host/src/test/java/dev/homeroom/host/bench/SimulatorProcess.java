package dev.homeroom.host.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SimulatorMain} running in a child JVM on the same class path, so that a benchmark's heap holds only the
 * engine. {@link #close()} closes the child's stdin (it stops) and kills it if it lingers.
 */
final class SimulatorProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Map<String, Long> counts;

    private SimulatorProcess(Process process, int port, Map<String, Long> counts) {
        this.process = process;
        this.port = port;
        this.counts = counts;
    }

    static SimulatorProcess start(int students, int schools, String xmx) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = List.of(java, "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                SimulatorMain.class.getName(), Integer.toString(students), Integer.toString(schools), SimulatorMain.DEFAULT_TOKEN);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            Map<String, Long> counts = new HashMap<>();
            while (port < 0 || counts.isEmpty()) {
                String line = out.readLine();
                if (line == null) {
                    throw new IOException("the simulator process ended before it printed its port and counts");
                }
                if (line.startsWith("PORT ")) {
                    port = Integer.parseInt(line.substring(5).trim());
                } else if (line.startsWith("COUNTS ")) {
                    for (String kv : line.substring(7).trim().split(" ")) {
                        String[] parts = kv.split("=");
                        counts.put(parts[0], Long.parseLong(parts[1]));
                    }
                }
            }
            return new SimulatorProcess(p, port, Map.copyOf(counts));
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String token() {
        return SimulatorMain.DEFAULT_TOKEN;
    }

    /** Records served per collection ({@code districts, schools, terms, courses, sections, users}). */
    long count(String kind) {
        Long n = counts.get(kind);
        if (n == null) {
            throw new IllegalArgumentException("no count for " + kind);
        }
        return n;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
