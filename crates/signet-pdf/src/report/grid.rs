//! Tables and key/value lists: wrapped cells, rows split across pages, repeated headers.

use super::layout::{CONTENT_W, Layout, MARGIN_TOP, MARGIN_X, Style};
use crate::error::Result;
use crate::font::Face;

const PAD: f64 = 4.0;

/// How to draw a grid.
pub(crate) struct Grid<'a> {
    pub widths: Vec<f64>,
    pub styles: Vec<Style>,
    pub header: Option<&'a [String]>,
    pub ruled: bool,
}

const HEADER: Style = Style {
    face: Face::SansBold,
    size: 9.0,
    gray: 0.0,
};
const CELL: Style = Style {
    face: Face::Sans,
    size: 9.0,
    gray: 0.0,
};
const KEY: Style = Style {
    face: Face::SansBold,
    size: 9.5,
    gray: 0.3,
};
const VALUE: Style = Style {
    face: Face::Sans,
    size: 9.5,
    gray: 0.0,
};

/// A table with a header row; columns sized by content.
pub(crate) fn table(l: &mut Layout<'_>, columns: &[String], rows: &[Vec<String>]) -> Result<()> {
    let n = columns
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let mut natural = vec![30.0f64; n];
    for (i, c) in columns.iter().enumerate() {
        natural[i] = natural[i].max(l.text_width(HEADER, c)?);
    }
    for row in rows {
        for (i, c) in row.iter().enumerate().take(n) {
            natural[i] = natural[i].max(l.text_width(CELL, c)?);
        }
    }
    let widths = fit_columns(
        &natural.iter().map(|w| w + 2.0 * PAD).collect::<Vec<_>>(),
        CONTENT_W,
    );
    let grid = Grid {
        widths,
        styles: vec![CELL; n],
        header: Some(columns),
        ruled: true,
    };
    draw(l, &grid, rows)
}

/// Column widths summing to `total`: narrow columns get their natural width, the wide ones
/// share the rest (water filling); if everything fits, all grow proportionally.
fn fit_columns(natural: &[f64], total: f64) -> Vec<f64> {
    let sum: f64 = natural.iter().sum();
    if sum <= total {
        return natural.iter().map(|w| w / sum * total).collect();
    }
    let mut widths = vec![0.0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = total;
    loop {
        let fair = left / open.len().max(1) as f64;
        let (narrow, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| natural[i] <= fair);
        if narrow.is_empty() {
            for &i in &wide {
                widths[i] = fair;
            }
            return widths;
        }
        for &i in &narrow {
            widths[i] = natural[i];
            left -= natural[i];
        }
        open = wide;
        if open.is_empty() {
            return widths;
        }
    }
}

/// Key/value pairs in two columns (keys bold).
pub(crate) fn key_values(l: &mut Layout<'_>, pairs: &[(String, String)]) -> Result<()> {
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .map(|(k, v)| vec![k.clone(), v.clone()])
        .collect();
    let key_w = CONTENT_W * 0.3;
    let grid = Grid {
        widths: vec![key_w, CONTENT_W - key_w],
        styles: vec![KEY, VALUE],
        header: None,
        ruled: false,
    };
    draw(l, &grid, &rows)
}

fn wrap_row(
    l: &mut Layout<'_>,
    grid: &Grid<'_>,
    cells: &[String],
    styles: &[Style],
) -> Result<Vec<Vec<String>>> {
    let mut out = Vec::with_capacity(grid.widths.len());
    for (i, w) in grid.widths.iter().enumerate() {
        let text = cells.get(i).map_or("", String::as_str);
        let style = styles.get(i).copied().unwrap_or(CELL);
        out.push(l.lines(style, text, w - 2.0 * PAD)?);
    }
    Ok(out)
}

fn leading(styles: &[Style]) -> f64 {
    styles.iter().map(Style::leading).fold(0.0, f64::max)
}

/// Draws the header row at the cursor.
fn header(l: &mut Layout<'_>, grid: &Grid<'_>) -> Result<()> {
    let Some(cols) = grid.header else {
        return Ok(());
    };
    let styles = vec![HEADER; grid.widths.len()];
    let cells = wrap_row(l, grid, cols, &styles)?;
    let lead = leading(&styles);
    let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f64 * lead + 2.0 * PAD;
    let top = l.y;
    l.fill_rect(0.92, MARGIN_X, top, CONTENT_W, height);
    draw_cells(l, grid, &cells, &styles, 0, usize::MAX, top)?;
    l.y += height;
    l.hline(0.6, MARGIN_X, l.y, CONTENT_W);
    Ok(())
}

fn draw_cells(
    l: &mut Layout<'_>,
    grid: &Grid<'_>,
    cells: &[Vec<String>],
    styles: &[Style],
    from: usize,
    count: usize,
    top: f64,
) -> Result<()> {
    let lead = leading(styles);
    let mut x = MARGIN_X;
    for (i, lines) in cells.iter().enumerate() {
        let style = styles.get(i).copied().unwrap_or(CELL);
        for (k, line) in lines.iter().skip(from).take(count).enumerate() {
            l.draw_line(style, x + PAD, top + PAD + k as f64 * lead, line)?;
        }
        x += grid.widths.get(i).copied().unwrap_or(0.0);
    }
    Ok(())
}

/// Draws all rows, splitting tall rows by lines and repeating the header on each new page.
fn draw(l: &mut Layout<'_>, grid: &Grid<'_>, rows: &[Vec<String>]) -> Result<()> {
    let lead = leading(&grid.styles);
    l.ensure(3.0 * lead + 2.0 * PAD);
    header(l, grid)?;
    for row in rows {
        let cells = wrap_row(l, grid, row, &grid.styles)?;
        let total = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut done = 0usize;
        while done < total {
            let fit = ((l.remaining() - 2.0 * PAD) / lead).floor().max(0.0) as usize;
            let whole_fits_fresh = (total - done) as f64 * lead + 2.0 * PAD
                <= super::layout::PAGE_H - super::layout::MARGIN_BOTTOM - MARGIN_TOP;
            if fit == 0 || (fit < total - done && done == 0 && whole_fits_fresh) {
                l.new_page();
                header(l, grid)?;
                continue;
            }
            let count = fit.min(total - done);
            let top = l.y;
            draw_cells(l, grid, &cells, &grid.styles, done, count, top)?;
            l.y += count as f64 * lead + 2.0 * PAD;
            done += count;
            if grid.ruled {
                l.hline(0.8, MARGIN_X, l.y, CONTENT_W);
            }
        }
    }
    l.y += 10.0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::fit_columns;

    #[test]
    fn narrow_columns_keep_their_width() {
        let w = fit_columns(&[50.0, 40.0, 1000.0], 400.0);
        assert_eq!(&w[..2], &[50.0, 40.0]);
        assert!((w.iter().sum::<f64>() - 400.0).abs() < 1e-9);
        let w = fit_columns(&[10.0, 30.0], 80.0);
        assert_eq!(w, vec![20.0, 60.0]);
    }
}
