package dev.todo.ui;

import dev.todo.activity.ActivityService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tasks completed per day over the last 30 days, as an inline SVG bar chart (what /api/stats/completed returns). */
@Controller("/stats")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatsPage {

    static final int DAYS = 30;
    static final int WIDTH = 720;
    static final int HEIGHT = 220;
    static final int TOP = 16;
    static final int BOTTOM = 28;
    static final int LEFT = 28;

    public record Bar(double x, double y, double width, double height, String label, String title, boolean zero, String tick) {
    }

    public record Page(Models.Chrome chrome, List<Bar> bars, long total, long best, double average, int max, String summary,
                       int width, int height, List<int[]> grid) {
    }

    private final Ui ui;
    private final ActivityService activity;
    private final TaskPages pages;

    public StatsPage(Ui ui, ActivityService activity, TaskPages pages) {
        this.ui = ui;
        this.activity = activity;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        LocalDate today = LocalDate.now(v.zone());
        var from = today.minusDays(DAYS - 1).atStartOfDay(v.zone()).toInstant();
        var to = today.plusDays(1).atStartOfDay(v.zone()).toInstant();
        List<ActivityService.Day> days = activity.completed(v.userId(), from, to, "day").items();
        return Html.page("stats", chart(pages.chrome(v, "Stats", "stats"), days));
    }

    /** The chart's geometry from the counts: pure, so it is tested without a browser. */
    static Page chart(Models.Chrome chrome, List<ActivityService.Day> days) {
        long max = Math.max(1, days.stream().mapToLong(ActivityService.Day::completed).max().orElse(0));
        int scale = (int) (max <= 4 ? 4 : Math.ceil(max / 4.0) * 4);
        double plotW = WIDTH - LEFT - 8;
        double plotH = HEIGHT - TOP - BOTTOM;
        double slot = plotW / Math.max(1, days.size());
        DateTimeFormatter label = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
        DateTimeFormatter title = DateTimeFormatter.ofPattern("EEEE d MMMM", Locale.ENGLISH);
        List<Bar> bars = new ArrayList<>();
        long total = 0;
        long best = 0;
        for (int i = 0; i < days.size(); i++) {
            ActivityService.Day d = days.get(i);
            LocalDate date = LocalDate.parse(d.start());
            double h = d.completed() == 0 ? 2 : plotH * d.completed() / scale;
            bars.add(new Bar(LEFT + i * slot + slot * 0.15, TOP + plotH - h, slot * 0.7, h, label.format(date),
                    title.format(date) + ": " + d.completed() + " completed", d.completed() == 0,
                    i % 7 == days.size() % 7 - 1 || i == days.size() - 1 ? label.format(date) : null));
            total += d.completed();
            best = Math.max(best, d.completed());
        }
        List<int[]> grid = new ArrayList<>();
        for (int k = 0; k <= 4; k++) {
            grid.add(new int[] {scale * k / 4, (int) Math.round(TOP + plotH - plotH * k / 4)});
        }
        double average = days.isEmpty() ? 0 : Math.round(10.0 * total / days.size()) / 10.0;
        String summary = total + " tasks completed in the last " + days.size() + " days; best day " + best + ", average " + average + " a day.";
        return new Page(chrome, bars, total, best, average, scale, summary, WIDTH, HEIGHT, grid);
    }
}
