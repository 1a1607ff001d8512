package dev.opticalmemory.memory.context;

import static java.lang.System.Logger.Level.DEBUG;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * One conversation's page images, in the form a chat integration sends them (base64 text for
 * LangChain4j, bytes for Spring AI): made ahead of the requests that will send them, on an
 * executor, after each request ({@link #ahead}) and when the memory moves or draws a page the last
 * request sent ({@link #moved}); a request takes what was made ({@link #request}), and makes (and
 * counts) what was not. Without it the first request after a page closes draws, downscales and
 * encodes every moved page itself. Thread-safe.
 *
 * @param <T> the form of an image as sent
 */
public final class PagesAhead<T> {
  private static final System.Logger LOG = System.getLogger(PagesAhead.class.getName());
  /** Image tasks waiting or running at most; beyond, the request makes them. */
  private static final int AHEAD_QUEUE = 16;

  private final OpticalMemory memory;
  private final String conversation;
  private final ContextAssembler assembler;
  private final VisionReader reader;
  /** Images by segment, stored tier and side, bounded by weight (16 Mi: bytes or characters). */
  private final Cache<String, T> pngCache;
  private final Function<byte[], T> form;
  private final Executor executor;
  /** Image tasks given to the executor and not finished. */
  private final AtomicInteger pending = new AtomicInteger();
  /** Images a request had to make itself (not found made ahead); for tests and benchmarks. */
  private final AtomicLong madeOnRequest = new AtomicLong();

  private PagesAhead(ContextAssembler assembler, String conversation, Executor executor,
      Function<byte[], T> form, ToIntFunction<T> weight) {
    this.memory = assembler.memory();
    this.conversation = conversation;
    this.assembler = assembler;
    this.reader = assembler.reader();
    this.executor = executor;
    this.form = form;
    this.pngCache = Caffeine.newBuilder().maximumWeight(16L << 20)
        .<String, T>weigher((key, image) -> weight.applyAsInt(image)).build();
  }

  /**
   * Images of one conversation, made by {@code assembler} and kept in {@code form}.
   *
   * @param <T> the form of an image as sent
   * @param assembler the assembler whose contexts send the pages
   * @param conversation the conversation
   * @param executor where images are made ahead ({@link #defaultExecutor()}: one daemon thread)
   * @param form a PNG's bytes as sent (base64 text, or the bytes themselves)
   * @param weight an image's weight in the cache (bytes or characters; 16 Mi in all)
   * @return the images
   */
  public static <T> PagesAhead<T> of(ContextAssembler assembler, String conversation,
      Executor executor, Function<byte[], T> form, ToIntFunction<T> weight) {
    return new PagesAhead<>(Objects.requireNonNull(assembler, "assembler"),
        Objects.requireNonNull(conversation, "conversation"),
        Objects.requireNonNull(executor, "executor"), Objects.requireNonNull(form, "form"),
        Objects.requireNonNull(weight, "weight"));
  }

  /** The default executor: made on first use, one thread that ends after 30 s idle. */
  private static final class DefaultExecutor {
    static final java.util.concurrent.ThreadPoolExecutor POOL = pool();

    private static java.util.concurrent.ThreadPoolExecutor pool() {
      java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
          1, 1, 30, java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "optical-memory-pages-ahead");
            t.setDaemon(true);
            return t;
          });
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }

  /**
   * One daemon thread shared by the process's chat memories that were given no executor; it ends
   * after 30 s idle and starts again when needed.
   *
   * @return the executor
   */
  public static Executor defaultExecutor() {
    return DefaultExecutor.POOL;
  }

  /** Forgets every image (the conversation was cleared). */
  public void clear() {
    pngCache.invalidateAll();
  }

  /**
   * The image of a request: made ahead if it was, else made now (and counted).
   *
   * @param image a page of the context being sent
   * @return its PNG in the integration's form
   */
  public T request(PageItem image) {
    T made = pngCache.getIfPresent(key(image));
    if (made != null) {
      return made;
    }
    madeOnRequest.incrementAndGet();
    return png(image);
  }

  private T png(PageItem image) {
    return pngCache.get(key(image), key -> form.apply(assembler.png(conversation, image)));
  }

  /**
   * The image sent depends only on the stored image and the side it is sent at: a page sent at
   * BASE and at LARGE from the same stored image, both 768 px for OpenAI, is the same PNG.
   */
  private static String key(PageItem image) {
    return image.segment() + "/" + image.storedTier() + "/" + image.side();
  }

  /**
   * How many images requests had to make themselves since this chat memory was built, because
   * they were not made ahead (each costs the request a decode, a downscale and a PNG encoding).
   *
   * @return the count
   */
  public long imagesMadeOnRequest() {
    return madeOnRequest.get();
  }

  /**
   * Makes, in the background, the images the next requests are most likely to need and not find:
   * each page sent now at the next tier that costs the reader less (when a page is added, the
   * assembler lowers the older ones a step), and the page of each closed segment still sent as
   * text (the next to become a page) if it is drawn already; one drawn or moved later is made when
   * the memory tells of it ({@link #moved}). A request that needs an image before it is ready
   * makes it itself.
   *
   * @param context the context just sent
   */
  public void ahead(AssembledContext context) {
    List<PageItem> images = context.images();
    Set<Long> asText = new HashSet<>();
    context.texts().forEach(t -> asText.add(t.segment()));
    submit(() -> {
      try {
        List<PageItem> next = new ArrayList<>();
        for (PageItem image : images) {
          int tokens = reader.delivery(image.tier()).tokens(); // the image alone, no label
          for (Tier lower = image.tier().next(); lower.isImage(); lower = lower.next()) {
            if (reader.delivery(lower).tokens() < tokens) {
              next.add(image(image.segment(), image.segmentIndex(), lower, image.storedTier()));
              break;
            }
          }
        }
        next.forEach(this::png);
        for (Segment s : memory.segments(conversation)) {
          if (asText.contains(s.id()) && !s.open() && s.rendered() && s.tier() == Tier.TEXT) {
            png(image(s.id(), s.index(), Tier.LARGE, Tier.TEXT));
          }
        }
      } catch (RuntimeException e) {
        // The memory closed, a page was forgotten or moved on: the request makes what it needs.
        LOG.log(DEBUG, "making pages ahead for '" + conversation + "' stopped", e);
      }
    });
  }

  /** Runs an image task on the executor, unless too many wait (the request then makes it). */
  private void submit(Runnable task) {
    if (pending.incrementAndGet() > AHEAD_QUEUE) {
      pending.decrementAndGet();
      return;
    }
    try {
      executor.execute(() -> {
        try {
          task.run();
        } finally {
          pending.decrementAndGet();
        }
      });
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet(); // the memory is closing: the request makes what it needs
    }
  }

  /**
   * Makes the image the next request will send for a page of the last context that the memory's
   * background work has moved ({@code now}: its new stored tier, TEXT when its page was drawn):
   * a page sent as an image, now stored lower, from the new image at the same tier or the new
   * stored one if that is lower; a closed segment sent as text, now a page, at its tier, or at
   * LARGE if it is drawn and still counts as text. Without this, the first request after a page
   * closes would make every moved page's image itself.
   *
   * @param context the last context sent, or null
   * @param segment the segment that moved or was drawn
   * @param now its stored tier now
   */
  public void moved(AssembledContext context, long segment, Tier now) {
    if (context == null || now == Tier.FORGOTTEN) {
      return;
    }
    for (PageItem image : context.images()) {
      if (image.segment() == segment && now.isImage() && now != image.storedTier()) {
        Tier send = image.tier().isAbove(now) ? now : image.tier();
        submit(() -> makeQuietly(image(segment, image.segmentIndex(), send, now)));
        return;
      }
    }
    for (TextItem text : context.texts()) {
      if (text.segment() == segment) {
        Tier send = now.isImage() ? now : Tier.LARGE;
        submit(() -> makeQuietly(image(segment, text.segmentIndex(), send, now)));
        return;
      }
    }
  }

  private void makeQuietly(PageItem image) {
    try {
      png(image);
    } catch (RuntimeException e) {
      // The memory closed, or the page moved on again: the request makes what it needs.
      LOG.log(DEBUG, "making page " + image.segmentIndex() + " of '" + conversation
          + "' ahead stopped", e);
    }
  }

  /**
   * Waits until this chat memory's images made ahead have all been made (for tests).
   *
   * @param timeout how long to wait at most
   * @return whether they were within the timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitAhead(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private PageItem image(long segment, int index, Tier tier, Tier stored) {
    VisionReader.Delivery d = reader.delivery(tier);
    return new PageItem(segment, index, tier, stored, d.tokens(), d.side(), d.detail());
  }
}
