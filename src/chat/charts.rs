//! Pictures sent with chat replies: the `/renewals` chart of a rep's action deadlines per
//! week, stacked by renewal window, drawn with `plotters` on its bitmap backend and encoded as
//! PNG with `png`.
//!
//! The chart carries no words, so it needs no font (plotters' font features would pull in a
//! TrueType stack and Japanese glyphs besides): the window colours are the square emoji the
//! reply's legend line uses (🟦 🟧 🟩), and the axis numbers and dates are drawn from a 3×5
//! digit pattern below.

use chrono::{Datelike, Duration, NaiveDate};
use partnerdesk_domain::renewal::{RenewalPolicy, RenewalWindow};
use plotters::prelude::*;

use super::model::Attachment;
use crate::store::Contract;
use crate::workflows::calendar::action_deadline;

const WIDTH: u32 = 800;
const HEIGHT: u32 = 360;
const LEFT: i32 = 56;
const RIGHT: i32 = 16;
const TOP: i32 = 20;
const BOTTOM: i32 = 40;
/// At most this many weeks are drawn (two years); a longer span is cut at its end.
pub const MAX_WEEKS: usize = 104;

/// The windows in drawing order (bottom to top), and their colours: Twemoji's 🟦, 🟧, 🟩.
pub const WINDOWS: [(RenewalWindow, RGBColor); 3] = [
    (RenewalWindow::BeforeCutover, RGBColor(0x55, 0xAC, 0xEE)),
    (RenewalWindow::Transition, RGBColor(0xF4, 0x90, 0x0C)),
    (RenewalWindow::AfterTransition, RGBColor(0x78, 0xB1, 0x59)),
];

/// One week of the chart: its Monday and the deadlines in it per window (order of [`WINDOWS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekBar {
    pub monday: NaiveDate,
    pub counts: [u32; 3],
}

/// Drawing or encoding failed (a bug, never the data): the reply goes out without the chart.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart: {0}")]
pub struct ChartError(String);

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Every week from the first deadline's to the last one's (empty weeks included, so the gaps
/// show), each with its deadlines counted per window.
pub fn deadlines_per_week(deadlines: &[(NaiveDate, RenewalWindow)]) -> Vec<WeekBar> {
    let (Some(first), Some(last)) = (
        deadlines.iter().map(|(d, _)| *d).min(),
        deadlines.iter().map(|(d, _)| *d).max(),
    ) else {
        return Vec::new();
    };
    let first = monday_of(first);
    let weeks = ((monday_of(last) - first).num_days() / 7 + 1).clamp(1, MAX_WEEKS as i64);
    let mut bars: Vec<WeekBar> = (0..weeks)
        .map(|w| WeekBar {
            monday: first + Duration::weeks(w),
            counts: [0; 3],
        })
        .collect();
    for (date, window) in deadlines {
        let week = ((monday_of(*date) - first).num_days() / 7) as usize;
        let slot = WINDOWS.iter().position(|(w, _)| w == window).unwrap_or(0);
        if let Some(bar) = bars.get_mut(week) {
            bar.counts[slot] += 1;
        }
    }
    bars
}

/// The `/renewals` chart of `contracts` as a PNG attachment; `None` (logged) when there is
/// nothing to draw or drawing failed.
pub fn renewals_chart(contracts: &[Contract], policy: &RenewalPolicy) -> Option<Attachment> {
    let deadlines: Vec<(NaiveDate, RenewalWindow)> = contracts
        .iter()
        .map(|c| {
            (
                action_deadline(policy, c.renewal_date),
                policy.window(c.renewal_date),
            )
        })
        .collect();
    let bars = deadlines_per_week(&deadlines);
    if bars.is_empty() {
        return None;
    }
    match draw_png(&bars) {
        Ok(data) => Some(Attachment {
            filename: "renewals.png".into(),
            content_type: "image/png".into(),
            data,
        }),
        Err(e) => {
            tracing::error!(error = %e, "the renewals chart was left out");
            None
        }
    }
}

/// A "nice" gridline step (1, 2 or 5 × 10^k) giving at most five lines up to `max`.
fn grid_step(max: u32) -> u32 {
    let mut magnitude = 1u32;
    loop {
        for step in [1, 2, 5] {
            let candidate = step * magnitude;
            if max.div_ceil(candidate) <= 5 {
                return candidate;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// Draws `bars` and encodes the picture as PNG.
pub fn draw_png(bars: &[WeekBar]) -> Result<Vec<u8>, ChartError> {
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&area, bars).map_err(|e| ChartError(e.to_string()))?;
        area.present().map_err(|e| ChartError(e.to_string()))?;
    }
    let mut png_bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut png_bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| ChartError(e.to_string()))?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| ChartError(e.to_string()))?;
    writer.finish().map_err(|e| ChartError(e.to_string()))?;
    Ok(png_bytes)
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;
type DrawResult =
    Result<(), DrawingAreaErrorKind<<BitMapBackend<'static> as DrawingBackend>::ErrorType>>;

fn draw(area: &Area<'_>, bars: &[WeekBar]) -> DrawResult {
    const AXIS: RGBColor = RGBColor(0x60, 0x60, 0x60);
    const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
    area.fill(&WHITE)?;
    let plot_w = WIDTH as i32 - LEFT - RIGHT;
    let plot_h = HEIGHT as i32 - TOP - BOTTOM;
    let base = TOP + plot_h;
    let max = bars
        .iter()
        .map(|b| b.counts.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let step = grid_step(max);
    let top_value = max.div_ceil(step) * step;
    let y_of =
        |value: u32| base - (i64::from(value) * i64::from(plot_h) / i64::from(top_value)) as i32;
    // Gridlines with their counts on the left.
    let mut value = 0;
    while value <= top_value {
        let y = y_of(value);
        area.draw(&PathElement::new(
            vec![(LEFT, y), (LEFT + plot_w, y)],
            GRID.stroke_width(1),
        ))?;
        let label = value.to_string();
        draw_text(area, &label, LEFT - 8 - text_width(&label), y - 7, &AXIS)?;
        value += step;
    }
    // Bars, stacked bottom-up in window order.
    let slot = plot_w as f64 / bars.len() as f64;
    let bar_w = (slot * 0.7).max(1.0);
    let label_every = bars.len().div_ceil(12);
    for (i, bar) in bars.iter().enumerate() {
        let x0 = LEFT + (slot * i as f64 + (slot - bar_w) / 2.0) as i32;
        let x1 = x0 + bar_w as i32;
        let mut below = 0;
        for ((_, color), count) in WINDOWS.iter().zip(bar.counts) {
            if count == 0 {
                continue;
            }
            let (y_low, y_high) = (y_of(below), y_of(below + count));
            area.draw(&Rectangle::new([(x0, y_high), (x1, y_low)], color.filled()))?;
            below += count;
        }
        if i % label_every == 0 {
            let label = bar.monday.format("%m/%d").to_string();
            let center = LEFT + (slot * (i as f64 + 0.5)) as i32;
            draw_text(
                area,
                &label,
                center - text_width(&label) / 2,
                base + 12,
                &AXIS,
            )?;
        }
    }
    area.draw(&PathElement::new(
        vec![(LEFT, TOP), (LEFT, base), (LEFT + plot_w, base)],
        AXIS.stroke_width(1),
    ))?;
    Ok(())
}

/// Pixels per pattern cell, and the gap between characters.
const SCALE: i32 = 3;
const GAP: i32 = 3;

/// A 3×5 pattern per character, rows top-down, bit 2 the left column.
fn pattern(c: char) -> Option<[u8; 5]> {
    Some(match c {
        '0' => [7, 5, 5, 5, 7],
        '1' => [2, 6, 2, 2, 7],
        '2' => [7, 1, 7, 4, 7],
        '3' => [7, 1, 7, 1, 7],
        '4' => [5, 5, 7, 1, 1],
        '5' => [7, 4, 7, 1, 7],
        '6' => [7, 4, 7, 5, 7],
        '7' => [7, 1, 1, 1, 1],
        '8' => [7, 5, 7, 5, 7],
        '9' => [7, 5, 7, 1, 7],
        '/' => [1, 1, 2, 4, 4],
        '-' => [0, 0, 7, 0, 0],
        _ => return None,
    })
}

fn text_width(text: &str) -> i32 {
    let n = text.chars().count() as i32;
    (n * (3 * SCALE + GAP) - GAP).max(0)
}

/// Draws digits, `/` and `-` with their top-left corner at `(x, y)`; other characters are
/// left blank.
fn draw_text(area: &Area<'_>, text: &str, x: i32, y: i32, color: &RGBColor) -> DrawResult {
    for (i, c) in text.chars().enumerate() {
        let Some(rows) = pattern(c) else { continue };
        let left = x + i as i32 * (3 * SCALE + GAP);
        for (row, bits) in rows.iter().enumerate() {
            for column in 0..3 {
                if bits & (4 >> column) != 0 {
                    let (cx, cy) = (left + column * SCALE, y + row as i32 * SCALE);
                    area.draw(&Rectangle::new(
                        [(cx, cy), (cx + SCALE - 1, cy + SCALE - 1)],
                        color.filled(),
                    ))?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn deadlines_are_counted_per_monday_week_and_window() {
        let bars = deadlines_per_week(&[
            (day(2015, 6, 30), RenewalWindow::Transition),
            (day(2015, 6, 29), RenewalWindow::BeforeCutover),
            (day(2015, 7, 13), RenewalWindow::AfterTransition),
        ]);
        assert_eq!(bars.len(), 3, "empty weeks are kept");
        assert_eq!(bars[0].monday, day(2015, 6, 29));
        assert_eq!(bars[0].counts, [1, 1, 0]);
        assert_eq!(bars[1].counts, [0, 0, 0]);
        assert_eq!(bars[2].counts, [0, 0, 1]);
    }

    #[test]
    fn gridline_steps_are_round() {
        assert_eq!(grid_step(1), 1);
        assert_eq!(grid_step(5), 1);
        assert_eq!(grid_step(6), 2);
        assert_eq!(grid_step(23), 5);
        assert_eq!(grid_step(480), 100);
    }

    #[test]
    fn the_png_has_the_windows_colours() {
        let bars = deadlines_per_week(&[
            (day(2015, 6, 30), RenewalWindow::Transition),
            (day(2015, 6, 29), RenewalWindow::BeforeCutover),
            (day(2015, 8, 3), RenewalWindow::AfterTransition),
        ]);
        let png_bytes = draw_png(&bars).expect("drawn");
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut pixels).expect("frame");
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        for (_, RGBColor(r, g, b)) in WINDOWS {
            assert!(
                pixels.chunks(3).any(|p| p == [r, g, b]),
                "no pixel of ({r}, {g}, {b})"
            );
        }
    }
}
