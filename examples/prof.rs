struct Instant(f64);
impl Instant {
    fn now() -> Instant {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        Instant(ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1e6)
    }
    fn elapsed(&self) -> String { format!("{:.1}ms cpu", Instant::now().0 - self.0) }
}
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let p = fouille::store::Project::open(std::path::Path::new(&path)).unwrap();
    let c = p.conn();
    if std::env::var("MMAP").is_ok() { c.execute_batch("PRAGMA mmap_size = 1073741824").unwrap(); }
    {
        let t = Instant::now();
        let mut st = c.prepare("SELECT length(CAST(text AS BLOB)) FROM documents").unwrap();
        let n: i64 = st.query_map([], |r| r.get::<_, i64>(0)).unwrap().map(|x| x.unwrap()).sum();
        eprintln!("blob length {} {}", n, t.elapsed());
        let t = Instant::now();
        let mut st = c.prepare("SELECT text FROM documents").unwrap();
        let mut rows = st.query([]).unwrap();
        let mut n = 0;
        while let Some(r) = rows.next().unwrap() { n += r.get_ref(0).unwrap().as_bytes().unwrap().len(); }
        eprintln!("raw bytes {} {}", n, t.elapsed());
        let t = Instant::now();
        let mut st = c.prepare("SELECT text FROM documents").unwrap();
        let mut rows = st.query([]).unwrap();
        let mut keep: Vec<String> = Vec::new();
        while let Some(r) = rows.next().unwrap() { keep.push(r.get(0).unwrap()); }
        eprintln!("strings kept {} {}", keep.len(), t.elapsed());
        let t = Instant::now();
        let ix: Vec<_> = keep.iter().map(|k| fouille::model::text::CharIndex::new(k)).collect();
        eprintln!("indexes {} {}", ix.len(), t.elapsed());
    }
    for _ in 0..2 {
        let t = Instant::now();
        let v = fouille::store::codings::live_rows(c).unwrap();
        eprintln!("list_all_fast {} {}", v.len(), t.elapsed());
        let t = Instant::now();
        drop(v);
        eprintln!("drop {}", t.elapsed());
        let t = Instant::now();
        let d = fouille::store::documents::list(c).unwrap();
        eprintln!("documents {} {}", d.len(), t.elapsed());
        let t = Instant::now();
        let _ = fouille::store::attributes::values(c, fouille::model::AttributeScope::Respondent).unwrap();
        eprintln!("values {}", t.elapsed());
        let t = Instant::now();
        let _ = fouille::store::respondents::list(c).unwrap();
        eprintln!("respondents {}", t.elapsed());
        let t = Instant::now();
        let _ = fouille::store::codes::list(c).unwrap();
        eprintln!("codes {}", t.elapsed());
        let t = Instant::now();
        let s = fouille::analysis::AnalysisFilter::default().resolve_without_texts(c, fouille::model::Lang::Fr).unwrap();
        eprintln!("resolve {}", t.elapsed());
        for k in fouille::analysis::TableKind::ALL {
            let mut o = fouille::analysis::TableOptions::default();
            o.by = Some("territory".into());
            if k == fouille::analysis::TableKind::Cooccurrence { o.cooccurrence = fouille::analysis::CooccurrenceMode::Paragraph; }
            let mut s2 = s.clone();
            let t = Instant::now();
            s2.prepare(c, k, &o).unwrap();
            eprintln!("  texts {}", t.elapsed());
            let t = Instant::now();
            let _ = fouille::analysis::compute_on(&s2, k, &o).unwrap();
            eprintln!("  {:?} {}", k, t.elapsed());
        }
        let t = Instant::now();
        drop(s);
        eprintln!("drop sel {}", t.elapsed());
    }
}
