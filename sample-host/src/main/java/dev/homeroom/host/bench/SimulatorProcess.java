package dev.homeroom.host.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SimulatorServer} running in a child JVM on the same class path, so that a benchmark's heap holds only the
 * engine. {@link #close()} closes the child's stdin (it stops) and kills it if it lingers.
 */
public final class SimulatorProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final int port;
    private final Map<String, Long> counts;

    private SimulatorProcess(Process process, BufferedReader out, int port, Map<String, Long> counts) {
        this.process = process;
        this.out = out;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.port = port;
        this.counts = counts;
    }

    /** A district of {@code students} in {@code schools} schools, seed 2024. */
    public static SimulatorProcess start(int students, int schools, String xmx) throws IOException {
        return start(xmx, Integer.toString(students), Integer.toString(schools));
    }

    /** {@code DistrictSpec.realistic(students)}. */
    public static SimulatorProcess startRealistic(int students, String xmx) throws IOException {
        return start(xmx, Integer.toString(students), "realistic");
    }

    private static SimulatorProcess start(String xmx, String... args) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                SimulatorServer.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
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
            return new SimulatorProcess(p, out, port, Map.copyOf(counts));
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String token() {
        return SimulatorServer.TOKEN;
    }

    /** CPU time the simulator process has used so far (zero where the platform does not tell). */
    public java.time.Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    /** Records served per collection ({@code districts, schools, terms, courses, sections, users}) at the start. */
    public long count(String kind) {
        Long n = counts.get(kind);
        if (n == null) {
            throw new IllegalArgumentException("no count for " + kind);
        }
        return n;
    }

    /** Moves the district on until its event feed holds at least {@code wanted} events; returns how many it holds. */
    public long advanceToEvents(int wanted) throws IOException {
        return advance("events", wanted);
    }

    /**
     * Moves the district forward revision by revision until its feed holds at least {@code wanted} events beyond what
     * it holds now; returns how many new events it holds.
     */
    public long advanceByEvents(int wanted) throws IOException {
        return advance("more", wanted);
    }

    private long advance(String command, int wanted) throws IOException {
        in.write(command + " " + wanted + "\n");
        in.flush();
        String line = out.readLine();
        if (line == null || !line.startsWith("EVENTS ")) {
            throw new IOException("the simulator did not answer '" + command + "': " + line);
        }
        return Long.parseLong(line.split(" ")[1]);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        in.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
