//! The pilot figures of this device ([`domain::kpi`]): summary, a small chart, CSV export.

use domain::audit::Problem;
use domain::kpi::{self, ReportFigures, Summary};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::clock;
use crate::components::error_line::ErrorLine;
use crate::download;
use crate::session::use_session;

fn percent(share: Option<f64>) -> String {
    share.map_or("—".to_owned(), |s| format!("{:.0} %", s * 100.0))
}

fn minutes(m: Option<f64>) -> String {
    match m {
        None => "—".to_owned(),
        Some(m) if m < 120.0 => format!("{m:.0} min"),
        Some(m) => format!("{:.1} uur", m / 60.0),
    }
}

/// Bars of minutes from the end of the contact to validation, one per validated report
/// (the 20 most recent), as an SVG with a text alternative.
fn time_chart(rows: &[ReportFigures]) -> impl IntoView + use<> {
    let points: Vec<f64> = rows
        .iter()
        .filter(|r| !r.correction)
        .filter_map(ReportFigures::minutes_to_validation)
        .collect();
    let points = &points[points.len().saturating_sub(20)..];
    let max = points.iter().copied().fold(1.0f64, f64::max);
    let (width, height, gap, top) = (400.0, 120.0, 6.0, 16.0);
    // At most 48 units wide, so a handful of reports still reads as bars.
    let bar = if points.is_empty() {
        0.0
    } else {
        ((width - gap * points.len() as f64) / points.len() as f64).min(48.0)
    };
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let h = (m / max * (height - top - 2.0)).max(2.0);
            let x = i as f64 * (bar + gap);
            view! {
                <g>
                    <rect x=format!("{x:.1}") y=format!("{:.1}", height - h) width=format!("{bar:.1}") height=format!("{h:.1}") class="bar">
                        <title>{minutes(Some(*m))}</title>
                    </rect>
                    <text x=format!("{:.1}", x + bar / 2.0) y=format!("{:.1}", height - h - 3.0) class="bar-label" text-anchor="middle">
                        {minutes(Some(*m))}
                    </text>
                </g>
            }
        })
        .collect_view();
    let label = format!(
        "Tijd tot gevalideerd verslag voor de laatste {} verslagen; langste {}.",
        points.len(),
        minutes(Some(max))
    );
    let title = label.clone();
    view! {
        <svg id="kpi-chart" viewBox=format!("0 0 {width} {height}") role="img" aria-label=label class="chart">
            <title>{title}</title>
            {bars}
        </svg>
    }
}

/// A stacked bar of what happened to the drafted proposals.
fn proposal_bar(s: &Summary) -> impl IntoView + use<> {
    let total = f64::from(s.drafted.max(1));
    let mut x = 0.0;
    let parts = [
        ("accepted", s.accepted, "aanvaard"),
        ("changed", s.changed, "aangepast"),
        ("removed", s.removed, "verwijderd"),
    ]
    .into_iter()
    .map(|(class, n, label)| {
        let w = f64::from(n) / total * 400.0;
        let at = x;
        x += w;
        view! {
            <rect x=format!("{at:.1}") y="0" width=format!("{w:.1}") height="24" class=format!("part {class}")>
                <title>{format!("{label}: {n}")}</title>
            </rect>
        }
    })
    .collect_view();
    view! {
        <svg viewBox="0 0 400 24" role="img" class="chart" aria-label="Verdeling van de AI-voorstellen">
            {parts}
        </svg>
    }
}

/// Summary, chart, per-report table and CSV export of the pilot figures.
#[component]
pub fn KpiPage() -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let rows = move || session.with(kpi::figures).unwrap_or_default();
    let export_csv = move |_| {
        let csv = kpi::csv(&rows());
        let name = format!(
            "zorgvuldig-pilotcijfers-{}.csv",
            clock::iso_day(clock::now())
        );
        if let Err(e) = download::download(&name, "text/csv;charset=utf-8", csv.as_bytes()) {
            error.set(Some(e));
        }
    };
    move || {
        let rows = rows();
        let s = kpi::summarize(&rows);
        let incidents = Problem::ALL
            .into_iter()
            .map(|p| {
                format!(
                    "{} {}",
                    s.incidents.get(&p).copied().unwrap_or(0),
                    p.label()
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let table = rows
            .iter()
            .map(|r| {
                let status = match r.validated_at {
                    Some(at) => format!("gevalideerd {}", clock::moment(at)),
                    None => "ontwerp".to_owned(),
                };
                view! {
                    <tr>
                        <td>{r.template.clone()}{r.correction.then_some(" (correctie)")}</td>
                        <td>{status}</td>
                        <td>{minutes(r.minutes_to_validation())}</td>
                        <td>{format!("{}/{}/{}/{}", r.accepted, r.changed, r.removed, r.written)}</td>
                        <td>{format!("{}/{}", r.sections_filled, r.sections_total)}</td>
                        <td>{r.incident_count()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section id="kpi">
                <p><A href="/instellingen">"← Instellingen"</A></p>
                <h1>"Pilotcijfers van dit toestel"</h1>
                <p class="muted">
                    "Berekend uit de gegevens op dit toestel. Er staan geen namen in; de CSV bevat per \
                     verslag alleen een willekeurig id, het sjabloon en tijden."
                </p>
                <dl class="facts" id="kpi-summary">
                    <dt>"Gevalideerde verslagen"</dt>
                    <dd id="kpi-reports">{format!("{} (waarvan {} met AI-voorstellen)", s.reports, s.drafted_with_ai)}</dd>
                    <dt>"Mediane tijd van einde contact tot gevalideerd verslag"</dt>
                    <dd id="kpi-median">{minutes(s.median_minutes)}</dd>
                    <dt>"AI-voorstellen"</dt>
                    <dd id="kpi-proposals">
                        {format!(
                            "{} voorgesteld: {} aanvaard, {} aangepast, {} verwijderd",
                            s.drafted,
                            percent(s.accepted_share()),
                            percent(s.changed_share()),
                            percent(s.removed_share()),
                        )}
                    </dd>
                    <dt>"Zelf geschreven zinnen"</dt>
                    <dd id="kpi-written">{format!("{} ({} van de zinnen)", s.written, percent(s.written_share()))}</dd>
                    <dt>"Volledigheid (ingevulde rubrieken)"</dt>
                    <dd id="kpi-completeness">{percent(s.completeness)}</dd>
                    <dt>"Gemelde fouten"</dt>
                    <dd id="kpi-incidents">{format!("{} ({incidents})", s.incident_count())}</dd>
                </dl>
                <h2>"Tijd tot gevalideerd verslag"</h2>
                {time_chart(&rows)}
                <h2>"Wat gebeurde er met de voorstellen"</h2>
                {proposal_bar(&s)}
                <p class="legend muted">"Groen: aanvaard · geel: aangepast · grijs: verwijderd"</p>
                <h2>"Per verslag"</h2>
                <table class="kpi-table">
                    <thead>
                        <tr>
                            <th>"Sjabloon"</th>
                            <th>"Status"</th>
                            <th>"Tijd"</th>
                            <th>"Aanv./aangep./verw./zelf"</th>
                            <th>"Rubrieken"</th>
                            <th>"Fouten"</th>
                        </tr>
                    </thead>
                    <tbody>{table}</tbody>
                </table>
                <button type="button" class="primary" id="kpi-csv" on:click=export_csv>
                    "Exporteren als CSV"
                </button>
                <ErrorLine error />
            </section>
        }
    }
}
