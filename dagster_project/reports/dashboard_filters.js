// The dashboard's filters: period, department, payer and age band, kept in the page address
// (#period=6&department=Oncology&payer=medicare&age_band=senior) so a view can be bookmarked.
// Each chart that follows them carries a spec in layout.meta.filter (dashboard.py); this
// script sums the selected cells (dashboard_cells.py), or picks the selection's rows of a
// kpi_dashboard_*_selections mart (distinct patients) or the follow-up list's stays, and
// redraws the chart with Plotly.react: rates with their 95% Wilson interval, means with their
// normal interval, counts per month, leaving out what has too few cases (never drawing a
// missing value as zero).
"use strict";

const EMR_CELLS = JSON.parse(document.getElementById("dashboard-cells").textContent);
const EMR_MIN_INDEX_STAYS = Number(document.body.dataset.minIndexStays);
const EMR_FILTERS = { department: "department_name", payer: "payer_class", age_band: "age_band" };
const EMR_Z = 1.96;

function emrAddress() { return new URLSearchParams(location.hash.slice(1)); }
function emrSetAddress(name, value) {
  const address = emrAddress();
  if (value) { address.set(name, value); } else { address.delete(name); }
  location.hash = address.toString();
}

// The period of the address in months (0: the whole period). Only the menu's periods count:
// the selection marts hold rows for those alone, so another value typed into the address is
// ignored (and the page says so).
function emrPeriodMonths() {
  const chosen = emrAddress().get("period") || "";
  const offered = Array.from(document.getElementById("period").options, (option) => option.value);
  return offered.includes(chosen) ? Number(chosen || 0) : 0;
}

// The first month of the last `months` months up to the data-through date ("" for all).
function emrPeriodStart(months) {
  if (!months) { return ""; }
  const through = new Date(document.body.dataset.through + "T00:00:00Z");
  return new Date(Date.UTC(through.getUTCFullYear(), through.getUTCMonth() - months + 1, 1))
    .toISOString().slice(0, 10);
}

// The cells of a table inside the selection, as objects; `ignore` lists filter columns not applied.
function emrSelectedCells(table, ignore = []) {
  const address = emrAddress();
  const start = emrPeriodStart(emrPeriodMonths());
  const { columns, rows } = EMR_CELLS[table];
  const wanted = Object.entries(EMR_FILTERS)
    .filter(([name, column]) => address.get(name) && !ignore.includes(column))
    .map(([name, column]) => [columns.indexOf(column), address.get(name)]);
  return rows
    .filter((row) => (!start || row[0] >= start) && wanted.every(([at, value]) => row[at] === value))
    .map((row) => Object.fromEntries(columns.map((column, at) => [column, row[at]])));
}

// The rows of a kpi_dashboard_*_selections mart (spec.columns, spec.rows) that hold the
// address's selection, as objects: its period, and for each filter in `allColumns` (filter
// name -> the mart's is_all_* column) the rows of the value chosen, or of all values when none is.
function emrSelectionRows(spec, allColumns) {
  const address = emrAddress();
  const period = emrPeriodMonths();
  return spec.rows
    .map((row) => Object.fromEntries(spec.columns.map((column, at) => [column, row[at]])))
    .filter((row) => row.period_months === period && Object.entries(allColumns).every(([name, isAll]) => {
      const chosen = address.get(name);
      return chosen ? !row[isAll] && row[EMR_FILTERS[name]] === chosen : row[isAll];
    }));
}

// The sums of `measures` (each once) over the cells whose columns equal every value of `match`.
function emrSum(cells, match, measures) {
  const names = [...new Set(measures)];
  const totals = Object.fromEntries(names.map((measure) => [measure, 0]));
  const wanted = Object.entries(match);
  for (const cell of cells) {
    if (wanted.every(([column, value]) => cell[column] === value)) {
      for (const measure of names) { totals[measure] += cell[measure]; }
    }
  }
  return totals;
}

// Wilson score interval of k / n, clamped to [0, 1] (the macros wilson_low and wilson_high).
function emrWilson(k, n) {
  const p = k / n;
  const centre = p + EMR_Z * EMR_Z / (2 * n);
  const half = EMR_Z * Math.sqrt(p * (1 - p) / n + EMR_Z * EMR_Z / (4 * n * n));
  const scale = 1 + EMR_Z * EMR_Z / n;
  return [Math.max(0, (centre - half) / scale), Math.min(1, (centre + half) / scale)];
}

// Mean and normal 95% interval from a count, sum and sum of squares (null below 2 values).
function emrMean(n, sum, squares) {
  if (n < 2) { return [null, null, null]; }
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, (squares - sum * sum / n) / (n - 1)));
  return [mean, mean - EMR_Z * sd / Math.sqrt(n), mean + EMR_Z * sd / Math.sqrt(n)];
}

function emrErrorBars(values, lows, highs, scale) {
  return {
    type: "data",
    symmetric: false,
    array: values.map((value, at) => (value === null || highs[at] === null ? null : (highs[at] - value) * scale)),
    arrayminus: values.map((value, at) => (value === null || lows[at] === null ? null : (value - lows[at]) * scale)),
  };
}

// A title or legend template of the page (dashboard.py's fill_title) with its {name} places
// filled, whole numbers with thousands separators.
function emrFill(template, values) {
  return Object.entries(values).reduce((text, [name, value]) => text.split(`{${name}}`).join(
    typeof value === "number" ? Math.round(value).toLocaleString("en-US") : String(value)), template);
}

// Whether any filter or a period is chosen (a test over all the data is then not the selection's).
function emrAnyFilter() {
  return emrPeriodMonths() > 0 || Object.keys(EMR_FILTERS).some((name) => emrAddress().get(name));
}

// One bar trace of a readmission window ("30-day rate", "60-day rate") over labelled groups.
function emrReadmissionTrace(trace, groups, cells) {
  const window = trace.name.split("-")[0];
  const counts = groups.map((group) => emrSum(cells, group.match, [
    "index_stays_30d", `index_stays_${window}d`, `readmissions_${window}d`]));
  const enough = counts.map((count) => count.index_stays_30d >= EMR_MIN_INDEX_STAYS);
  const rates = counts.map((count, at) => (enough[at]
    ? count[`readmissions_${window}d`] / count[`index_stays_${window}d`] : null));
  const intervals = counts.map((count, at) => (enough[at]
    ? emrWilson(count[`readmissions_${window}d`], count[`index_stays_${window}d`]) : [null, null]));
  return {
    ...trace,
    x: groups.map((group, at) => `${group.label}<br>n=${counts[at].index_stays_30d.toLocaleString("en-US")}`
      + (enough[at] ? "" : " (too few)")),
    y: rates.map((rate) => (rate === null ? null : rate * 100)),
    error_y: emrErrorBars(rates, intervals.map((i) => i[0]), intervals.map((i) => i[1]), 100),
    customdata: counts.map((count) => [count[`readmissions_${window}d`], count[`index_stays_${window}d`]]),
  };
}

// How each kind of chart is redrawn from the selected cells: new traces, and the layout changes.
const EMR_CHARTS = {
  // Bars of 30- and 60-day rates, one per group (department, age band, diagnosis).
  readmission_groups(chart, spec) {
    const cells = emrSelectedCells("readmissions");
    return { data: chart.data.map((trace) => emrReadmissionTrace(trace, spec.groups, cells)) };
  },
  // The drill-down: each trace pair is one department's diagnoses (trace.meta names it).
  readmission_drill(chart, spec) {
    const cells = emrSelectedCells("readmissions");
    return { data: chart.data.map((trace) => emrReadmissionTrace(trace, spec.groups[trace.meta], cells)) };
  },
  // The 30-day rate by month of discharge.
  readmission_months(chart) {
    const cells = emrSelectedCells("readmissions");
    const trace = chart.data[0];
    const counts = trace.x.map((month) => emrSum(cells, { discharge_month: month },
      ["index_stays_30d", "readmissions_30d"]));
    const rates = counts.map((count) => (count.index_stays_30d >= EMR_MIN_INDEX_STAYS
      ? count.readmissions_30d / count.index_stays_30d : null));
    const intervals = counts.map((count, at) => (rates[at] === null
      ? [null, null] : emrWilson(count.readmissions_30d, count.index_stays_30d)));
    return {
      data: [{
        ...trace,
        y: rates.map((rate) => (rate === null ? null : rate * 100)),
        error_y: emrErrorBars(rates, intervals.map((i) => i[0]), intervals.map((i) => i[1]), 100),
        customdata: counts.map((count) => [count.readmissions_30d, count.index_stays_30d]),
      }, ...chart.data.slice(1)],
    };
  },
  // Counts per month, one trace per series (a department, a condition group); months before
  // the period are gaps, not zeros.
  monthly_counts(chart, spec) {
    const cells = emrSelectedCells(spec.cells);
    const start = emrPeriodStart(emrPeriodMonths());
    const month = EMR_CELLS[spec.cells].columns[0];
    return {
      data: chart.data.map((trace, at) => {
        const series = spec.traces[at];
        const measures = [series.y, ...(series.customdata ? [series.customdata] : [])];
        const sums = trace.x.map((x) => (x >= start ? emrSum(cells, { ...series.match, [month]: x }, measures) : null));
        const redrawn = { ...trace, y: sums.map((sum) => (sum ? sum[series.y] : null)) };
        if (series.customdata) { redrawn.customdata = sums.map((sum) => (sum ? sum[series.customdata] : null)); }
        return redrawn;
      }),
    };
  },
  // Mean overall rating per department with its interval, and the hospital's mean line.
  survey_means(chart, spec, layout) {
    const measures = ["surveys", "overall_rating_sum", "overall_rating_sum_of_squares"];
    const stats = (cells, match) => {
      const sum = emrSum(cells, match, measures);
      return [sum.surveys, ...emrMean(sum.surveys, sum.overall_rating_sum, sum.overall_rating_sum_of_squares)];
    };
    const groups = spec.groups.map((group) => stats(emrSelectedCells("surveys"), group.match));
    const means = groups.map((group) => group[1]);
    const [, hospital] = stats(emrSelectedCells("surveys", ["department_name"]), {});
    if (layout.shapes && layout.shapes.length) {
      layout.shapes[0].y0 = hospital;
      layout.shapes[0].y1 = hospital;
      layout.annotations[0].y = hospital;
      layout.annotations[0].text = hospital === null ? "hospital: too few surveys" : `hospital ${hospital.toFixed(2)}`;
    }
    return {
      data: [{
        ...chart.data[0],
        x: spec.groups.map((group, at) => `${group.label}<br>n=${groups[at][0].toLocaleString("en-US")}`
          + (means[at] === null ? " (too few)" : "")),
        y: means,
        error_y: emrErrorBars(means, groups.map((g) => g[2]), groups.map((g) => g[3]), 1),
      }],
    };
  },
  // Revenue per patient by department (x) and age band (trace.meta): the rows of the chosen
  // period and payer (distinct patients do not add over cells, so the mart has a row for each
  // selection); a department or age band the filters leave out is a gap.
  revenue_selection(chart, spec) {
    const address = emrAddress();
    const department = address.get("department");
    const band = address.get("age_band");
    const rows = emrSelectionRows(spec, { payer: "is_all_payers" });
    return {
      data: chart.data.map((trace) => {
        const picked = trace.x.map((name) => ((department && name !== department) || (band && trace.meta !== band)
          ? null
          : rows.find((row) => row.department_name === name && row.age_band === trace.meta) || null));
        const value = (column) => picked.map((row) => (row ? row[column] : null));
        const means = value("net_revenue_per_patient");
        return {
          ...trace,
          y: means,
          error_y: emrErrorBars(means, value("net_revenue_per_patient_low"), value("net_revenue_per_patient_high"), 1),
          customdata: picked.map((row) => (row ? row.patients : 0)),
        };
      }),
    };
  },
  // The payer mix, one trace per basis (trace.meta), one bar per payer class (spec.classes):
  // the rows of the chosen period, department and age band (neither share adds over cells,
  // so the mart has rows for each selection); a payer the payer filter leaves out is a gap.
  payer_mix_selection(chart, spec) {
    const payer = emrAddress().get("payer");
    const rows = emrSelectionRows(spec, { department: "is_all_departments", age_band: "is_all_age_bands" });
    return {
      data: chart.data.map((trace) => {
        const basis = rows.filter((row) => row.basis === trace.meta);
        const picked = spec.classes.map((payerClass) => ((payer && payerClass !== payer)
          ? null
          : basis.find((row) => row.payer_class === payerClass) || null));
        const value = (column) => picked.map((row) => (row ? row[column] : null));
        const shares = value("share");
        const total = basis.length ? basis[0].basis_total : 0;
        return {
          ...trace,
          name: emrFill(spec.trace_name, { total, basis: trace.meta }),
          y: shares.map((share) => (share === null ? null : share * 100)),
          error_y: emrErrorBars(shares, value("share_low"), value("share_high"), 100),
          customdata: picked.map((row) => (row ? row.payer_class_count : 0)),
        };
      }),
    };
  },
  // A condition group's seasonal index by calendar month, recomputed from the selection's
  // encounter cells as kpi_condition_seasonality_by_month computes it: each department-month's
  // encounters other than the group's predict the group's admissions in that department (its
  // admissions spread over the months by that volume); index = admissions / expected, with the
  // Poisson interval exp(ln(index) +- 1.96 / sqrt(admissions)). The shaded window and its test
  // stay the mart's, over all admissions; the title says which is which.
  seasonal_index(chart, spec, layout) {
    const departmentMonths = new Map();
    for (const cell of emrSelectedCells("encounters")) {
      const key = `${cell.department_name}|${cell.admission_month}`;
      const sums = departmentMonths.get(key)
        || { department: cell.department_name, month: cell.admission_month, other: 0, admissions: 0 };
      if (cell.condition_group === spec.group) {
        sums.admissions += cell.inpatient_admissions;
      } else {
        sums.other += cell.encounters;
      }
      departmentMonths.set(key, sums);
    }
    const departments = new Map();
    for (const sums of departmentMonths.values()) {
      const totals = departments.get(sums.department) || { other: 0, admissions: 0 };
      totals.other += sums.other;
      totals.admissions += sums.admissions;
      departments.set(sums.department, totals);
    }
    const calendarMonths = new Map();
    for (const sums of departmentMonths.values()) {
      const number = Number(sums.month.slice(5, 7));
      const totals = departments.get(sums.department);
      const entry = calendarMonths.get(number) || { months: new Set(), admissions: 0, expected: 0 };
      entry.months.add(sums.month);
      entry.admissions += sums.admissions;
      entry.expected += totals.other ? sums.other / totals.other * totals.admissions : 0;
      calendarMonths.set(number, entry);
    }
    const entries = spec.calendar_months.map((number) => calendarMonths.get(number) || null);
    const index = entries.map((entry) => (entry && entry.expected > 0 ? entry.admissions / entry.expected : null));
    const bound = (sign) => entries.map((entry, at) => (entry && entry.admissions > 0 && entry.expected > 0
      ? index[at] * Math.exp(sign * EMR_Z / Math.sqrt(entry.admissions)) : null));
    const admissions = entries.reduce((sum, entry) => sum + (entry ? entry.admissions : 0), 0);
    layout.title.text = emrFill(emrAnyFilter() ? spec.titles.selection : spec.titles.whole, { admissions });
    return {
      data: [{
        ...chart.data[0],
        y: index,
        error_y: emrErrorBars(index, bound(-1), bound(1), 1),
        customdata: entries.map((entry) => (entry ? [entry.admissions, entry.expected, entry.months.size] : [0, 0, 0])),
      }],
    };
  },
  // A department's monthly mean rating, and its means before and from the change point's split
  // month, from the selection's survey cells (a department the filter leaves out is a gap); the
  // split and its test stay the mart's, over all of the department's surveys.
  survey_change(chart, spec) {
    const cells = emrSelectedCells("surveys").filter((cell) => cell.department_name === spec.department);
    const measures = ["surveys", "overall_rating_sum", "overall_rating_sum_of_squares"];
    const stats = (sum) => {
      const [mean, low, high] = emrMean(sum.surveys, sum.overall_rating_sum, sum.overall_rating_sum_of_squares);
      return { surveys: sum.surveys, mean, low, high };
    };
    const [points, ...sides] = chart.data;
    const monthly = points.x.map((month) => stats(emrSum(cells, { discharge_month: month }, measures)));
    const means = monthly.map((month) => month.mean);
    const redrawn = [{
      ...points,
      y: means,
      error_y: emrErrorBars(means, monthly.map((month) => month.low), monthly.map((month) => month.high), 1),
      customdata: monthly.map((month) => month.surveys),
    }];
    sides.forEach((side, at) => {
      const before = at === 0;
      const where = before ? "before" : "from";
      const months = points.x.filter((month, m) => monthly[m].surveys > 0 && (month < spec.split) === before);
      const sideCells = cells.filter((cell) => (cell.discharge_month < spec.split) === before);
      const { surveys, mean } = stats(emrSum(sideCells, {}, measures));
      let name = emrFill(spec.mean_name, { mean: mean === null ? "" : mean.toFixed(2), surveys });
      if (!surveys) { name = `no surveys ${where} the split in the selection`; }
      if (surveys && mean === null) { name = `too few surveys ${where} the split for a mean`; }
      redrawn.push({
        ...side,
        name,
        x: months.length ? [months[0], months[months.length - 1]] : [],
        y: months.length ? [mean, mean] : [],
      });
    });
    return { data: redrawn };
  },
  // The follow-up list: the riskiest stays of the selection (embedded riskiest first), and
  // in the title how many recent discharges the selection holds.
  followup_rows(chart, spec, layout) {
    const address = emrAddress();
    const start = emrPeriodStart(emrPeriodMonths());
    const wanted = Object.entries(EMR_FILTERS)
      .filter(([name]) => address.get(name))
      .map(([name, column]) => [spec.match.indexOf(column), address.get(name)]);
    const selected = (match, day) => (!start || day >= start)
      && wanted.every(([at, value]) => match[at] === value);
    const stays = spec.stays.filter((stay) => selected(stay.match, stay.day)).slice(0, spec.shown);
    const total = spec.counts.filter((cell) => selected(cell.match, cell.month))
      .reduce((sum, cell) => sum + cell.stays, 0);
    layout.title.text = emrFill(spec.title, { shown: stays.length, stays: total });
    const table = chart.data[0];
    const values = table.header.values.map((header, at) => stays.map((stay) => stay.cells[at]));
    return { data: [{ ...table, cells: { ...table.cells, values } }] };
  },
};

async function emrRedraw() {
  for (const chart of document.querySelectorAll(".js-plotly-plot")) {
    const spec = chart.layout.meta && chart.layout.meta.filter;
    if (!spec) { continue; }
    const layout = JSON.parse(JSON.stringify(chart.layout));
    const { data } = EMR_CHARTS[spec.kind](chart, spec, layout);
    layout.datarevision = (layout.datarevision || 0) + 1;
    await Plotly.react(chart, data, layout);
  }
}

function emrShowSelection() {
  const address = emrAddress();
  const months = emrPeriodMonths();
  document.getElementById("period").value = months ? String(months) : "";
  for (const name of Object.keys(EMR_FILTERS)) {
    document.getElementById(`filter-${name}`).value = address.get(name) || "";
  }
  // A value typed into the address that its menu does not offer: a period is ignored (see
  // emrPeriodMonths), a filter value applies as typed (no cell matches a misspelt one).
  const offered = (name) => Array.from(document.getElementById(name === "period" ? "period" : `filter-${name}`).options,
    (option) => option.value).includes(address.get(name));
  const unknown = ["period", ...Object.keys(EMR_FILTERS)]
    .filter((name) => address.get(name) && !offered(name))
    .map((name) => `The address's ${name.replace("_", " ")} "${address.get(name)}" is not one the menu offers`
      + (name === "period" ? ": ignored. " : ". "))
    .join("");
  const start = emrPeriodStart(months);
  document.getElementById("period-shown").textContent = unknown + (start
    ? `Charts show ${start} to ${document.body.dataset.through}.`
    : "Charts show the whole period.");
}

// Charts drawn over months also zoom to the period (those that do not redraw from cells too).
async function emrZoomPeriod() {
  const start = emrPeriodStart(emrPeriodMonths());
  const day = (date) => date.toISOString().slice(0, 10);
  for (const chart of document.querySelectorAll(".period-filtered .js-plotly-plot")) {
    if (start) {
      const from = new Date(new Date(start + "T00:00:00Z").getTime() - 15 * 86400000);
      const to = new Date(new Date(document.body.dataset.through + "T00:00:00Z").getTime() + 15 * 86400000);
      await Plotly.relayout(chart, { "xaxis.range": [day(from), day(to)] });
    } else {
      await Plotly.relayout(chart, { "xaxis.autorange": true });
    }
  }
}

// The drill-down shows the department of the filter (or of a click on the department chart).
async function emrShowDepartment() {
  const department = emrAddress().get("department");
  const drill = document.querySelector(".drill-down .js-plotly-plot");
  const shown = document.getElementById("department-shown");
  if (!drill || !department) { shown.textContent = ""; return; }
  const menu = (drill.layout.updatemenus || [])[0];
  const button = menu && menu.buttons.find((candidate) => candidate.label === department);
  if (!button) {
    shown.textContent = `${department}: no diagnosis has enough index stays to draw.`;
    return;
  }
  await Plotly.update(drill, button.args[0], { ...button.args[1], "updatemenus[0].active": menu.buttons.indexOf(button) });
  shown.textContent = `Diagnoses of ${department} below.`;
}

// Show the address's selection. The charts as first drawn are the marts' own rows, the whole
// selection: they are redrawn from the cells, selection rows or stays once a filter is chosen
// (also when it is cleared).
// body[data-shown] then holds the address drawn (tests wait for it).
async function emrApplyAddress(redraw) {
  emrShowSelection();
  if (redraw) { await emrRedraw(); }
  await emrZoomPeriod();
  await emrShowDepartment();
  document.body.dataset.shown = location.hash;
}

document.getElementById("period").addEventListener("change", (event) => {
  emrSetAddress("period", event.target.value);
});
for (const name of Object.keys(EMR_FILTERS)) {
  document.getElementById(`filter-${name}`).addEventListener("change", (event) => {
    emrSetAddress(name, event.target.value);
  });
}
window.addEventListener("hashchange", () => emrApplyAddress(true));
window.addEventListener("load", () => {
  const source = document.querySelector(".drill-source .js-plotly-plot");
  if (source) {
    source.on("plotly_click", (event) => {
      emrSetAddress("department", String(event.points[0].x).split("<br>")[0]);
    });
  }
  emrApplyAddress(emrAddress().toString() !== "");
});
