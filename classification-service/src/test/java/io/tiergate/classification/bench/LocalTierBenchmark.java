package io.tiergate.classification.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.tiergate.classification.local.LineFeatures;
import io.tiergate.classification.local.SentenceEncoder;
import io.tiergate.classification.local.TaskModel;
import io.tiergate.common.classification.BuiltInTasks;
import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationTask;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Local-tier throughput: lines per second through the same features and classifier the pod uses, on every
 * turn of the shared Critical Role episode (1,151 real transcript lines, from one word to sponsor reads of
 * 500+ words), speaker included, with context each line's neighbouring turns. Run with
 * {@code classification-service/bench/local-tier.sh}. Arguments: [rounds] [with-context: true|false].
 */
public final class LocalTierBenchmark {

    private LocalTierBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        boolean withContext = args.length > 1 && Boolean.parseBoolean(args[1]);
        int maxTokens = Integer.getInteger("maxTokens", 64);
        int batch = Integer.getInteger("batch", 16);
        Path episode = Path.of(System.getProperty("episode", "../../shared/assets/rpg/crd3_C1E104.json"));
        List<String> speakers = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (JsonNode turn : new ObjectMapper().readTree(episode.toFile()).get("TURNS")) {
            String text = String.join(" ", StreamSupport.stream(turn.get("UTTERANCES").spliterator(), false).map(JsonNode::asText).toList()).trim();
            if (!text.isEmpty()) {
                speakers.add(String.join(",", StreamSupport.stream(turn.get("NAMES").spliterator(), false).map(JsonNode::asText).toList()));
                texts.add(text);
            }
        }
        // As the session pipeline sends a transcript: every line with the turns before and after it.
        List<ClassificationInput> lines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String before = withContext && i > 0 ? speakers.get(i - 1) + ": " + texts.get(i - 1) : null;
            String after = withContext && i + 1 < texts.size() ? speakers.get(i + 1) + ": " + texts.get(i + 1) : null;
            lines.add(new ClassificationInput(texts.get(i), speakers.get(i), before, after, BuiltInTasks.roleInCriticalRole(speakers.get(i))));
        }
        SentenceEncoder encoder = SentenceEncoder.load(System.getProperty("model", "all-minilm-l6-v2-q"), "cpu", 0, 0, batch);
        ClassificationTask task = BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow();
        long trainingStarted = System.nanoTime();
        TaskModel model = TaskModel.train(task, encoder, maxTokens, 1.0);
        System.out.printf("%s trained on %d examples and %d conversations in %.1f s%n", task.name(), task.examples().size(),
                task.conversations().size(), (System.nanoTime() - trainingStarted) / 1e9);
        System.out.printf("%d lines, context %s, max %d tokens, batch %d, %d cores%n", lines.size(), withContext ? "on" : "off", maxTokens,
                batch, Runtime.getRuntime().availableProcessors());
        model.predict(lines, LineFeatures.of(lines, encoder, maxTokens)); // warm-up
        // Process CPU time (every thread, native ones included) shows how much of the wall time the machine gave us.
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] rates = new double[rounds];
        for (int round = 1; round <= rounds; round++) {
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            int classified = model.predict(lines, LineFeatures.of(lines, encoder, maxTokens)).size();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
            rates[round - 1] = classified / seconds;
            System.out.printf("round %d: %d lines in %.2f s = %.0f lines/s (process CPU %.2f s)%n", round, classified, seconds, classified / seconds,
                    cpuSeconds);
        }
        Arrays.sort(rates);
        System.out.printf("best: %.0f lines/s, median %.0f lines/s%n", rates[rounds - 1], rates[rounds / 2]);
        encoder.close();
    }
}
