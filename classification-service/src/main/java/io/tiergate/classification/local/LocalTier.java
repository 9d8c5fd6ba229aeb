package io.tiergate.classification.local;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tiergate.classification.config.ClassificationConfig;
import io.tiergate.common.classification.BuiltInTasks;
import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The in-process tier: the sentence encoder, loaded in the background at start-up (readiness waits for it),
 * and one trained classifier per task, cached because the same task usually comes back with every recording.
 */
@ApplicationScoped
public class LocalTier {

    private static final Logger LOG = Logger.getLogger(LocalTier.class);
    private static final int CACHED_TASKS = 32;

    private final ClassificationConfig.Local config;
    private final Timer encodeTimer;
    private final CompletableFuture<SentenceEncoder> encoder = new CompletableFuture<>();
    private final Map<ClassificationTask, TaskModel> models = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ClassificationTask, TaskModel> eldest) {
            return size() > CACHED_TASKS;
        }
    };

    public LocalTier(ClassificationConfig config, MeterRegistry registry) {
        this.config = config.local();
        this.encodeTimer = Timer.builder("tiergate.classification.local.batch").description("Local-tier classification time per request")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        Thread loader = new Thread(() -> {
            try {
                long started = System.nanoTime();
                SentenceEncoder loaded = SentenceEncoder.load(config.model(), config.device(), config.deviceId(), config.threads(),
                        config.batchSize());
                LOG.infof("Embedding model %s loaded on %s in %d ms (dimension %d)", config.model(), config.device(),
                        (System.nanoTime() - started) / 1_000_000, loaded.dimension());
                // The built-in tasks' classifiers are trained before the pod reports ready, so no request waits for one.
                for (String name : BuiltInTasks.names()) {
                    long training = System.nanoTime();
                    ClassificationTask task = BuiltInTasks.find(name).orElseThrow();
                    modelFor(task, loaded);
                    LOG.infof("Built-in task %s trained on %d examples and %d conversations in %d ms", name,
                            task.examples().size(), task.conversations().size(), (System.nanoTime() - training) / 1_000_000);
                }
                encoder.complete(loaded);
            } catch (RuntimeException | Error e) {
                LOG.error("The embedding model could not be loaded; the pod stays unready", e);
                encoder.completeExceptionally(e);
            }
        }, "embedding-model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (encoder.isDone() && !encoder.isCompletedExceptionally()) {
            encoder.join().close();
        }
    }

    public boolean ready() {
        return encoder.isDone() && !encoder.isCompletedExceptionally();
    }

    public String engine() {
        return config.model();
    }

    /** The encoder, or a 503 problem while it is still loading (or failed to). */
    public SentenceEncoder encoder() {
        if (!ready()) {
            throw new ProblemException(Problem.of(503, "model-not-ready", "Model not ready",
                    "The embedding model " + config.model() + " is " + (encoder.isDone() ? "not available; see the pod log." : "still loading; retry shortly.")));
        }
        return encoder.join();
    }

    public List<TaskModel.Prediction> classify(ClassificationTask task, List<ClassificationInput> inputs) {
        SentenceEncoder loaded = encoder();
        return encodeTimer.record(() -> {
            TaskModel model = modelFor(task, loaded);
            return model.predict(inputs, LineFeatures.of(inputs, loaded, config.classificationMaxTokens()));
        });
    }

    private TaskModel modelFor(ClassificationTask task, SentenceEncoder loaded) {
        synchronized (models) {
            TaskModel cached = models.get(task);
            if (cached != null) {
                return cached;
            }
        }
        TaskModel trained = TaskModel.train(task, loaded, config.classificationMaxTokens(), config.l2());
        synchronized (models) {
            models.put(task, trained);
        }
        return trained;
    }
}
