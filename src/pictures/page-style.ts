// The pages' one stylesheet: light and dark from prefers-color-scheme, a column that fits a phone, cause colours.
export const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#fdfdfc;--fg:#1d2125;--muted:#5d6670;--line:#d9dde1;--panel:#f3f4f6;--grid:rgba(0,0,0,.08);
--life:#8fbf9f;--oom-killer:#d1343b;--oom-daemon:#e8780c;--runtime-oom:#b3186b;--crash:#7c3aed;--stopped:#2563eb;--unexplained:#a3a3a3;--bar:#9aa7b4;--victim:#d1343b;--link:#1d5fbf}
@media (prefers-color-scheme:dark){:root{--bg:#15181b;--fg:#e6e8ea;--muted:#9aa3ad;--line:#30363d;--panel:#1e2327;--grid:rgba(255,255,255,.08);
--life:#3f7a55;--oom-killer:#f2555a;--oom-daemon:#f59e3b;--runtime-oom:#e0559a;--crash:#a78bfa;--stopped:#60a5fa;--unexplained:#8b8b8b;--bar:#55606b;--victim:#f2555a;--link:#7eb3ff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif}
main{max-width:72rem;margin:0 auto;padding:1rem}
a{color:var(--link)}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:0}h4{font-size:.95rem;margin:.9rem 0 .3rem}
.sub{color:var(--muted);margin:.2rem 0}
code,pre,.ln{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Noto Sans Mono CJK SC",monospace;font-size:.85rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0;background:var(--panel);padding:.35rem .5rem;border-radius:4px}
.c-oom-killer{--cause:var(--oom-killer)}.c-oom-daemon{--cause:var(--oom-daemon)}.c-runtime-oom{--cause:var(--runtime-oom)}
.c-crash{--cause:var(--crash)}.c-stopped{--cause:var(--stopped)}.c-unexplained{--cause:var(--unexplained)}
.timeline{margin:.5rem 0 1rem}.timeline svg{display:block;width:100%;height:64px;background:var(--panel);border-radius:4px}
rect.life{fill:var(--life)}rect.mark{fill:var(--cause)}rect.down{fill:var(--cause);opacity:.3}rect.window{fill:var(--cause);opacity:.12}rect.tick{fill:var(--muted)}
.death-mark:hover rect.mark,.death-mark:focus rect.mark{fill:var(--fg)}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.8rem}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;margin:.3rem 0;font-size:.85rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px;background:var(--cause)}
.swatch.life{background:var(--life)}.swatch.down{background:var(--muted);opacity:.4}.swatch.tick{background:var(--muted)}
.death{border:1px solid var(--line);border-left:5px solid var(--cause);border-radius:6px;padding:.7rem .9rem;margin:1rem 0}
.when{margin:.1rem 0;color:var(--muted)}.verdict{margin:.3rem 0}
.badge{display:inline-block;background:var(--cause);color:#fff;border-radius:3px;padding:0 .4rem;font-size:.85rem;font-weight:600}
.confidence{color:var(--muted);font-size:.85rem}.confidence::before{content:"["}.confidence::after{content:"]"}
.facts{display:flex;flex-wrap:wrap;gap:.2rem 1rem;padding:0;margin:.3rem 0;list-style:none;color:var(--muted);font-size:.9rem}
.diagnosis{background:var(--panel);border-radius:4px;padding:.4rem .7rem;margin:.5rem 0}.diagnosis .kind{font-weight:600}
.diagnosis ul{margin:.2rem 0;padding-left:1.2rem}.missing{color:var(--oom-daemon)}
.evidence{padding-left:1.4rem}.evidence li{margin:.4rem 0}.evidence p{margin:0}.where{color:var(--link)}
.chart-note{color:var(--muted);font-size:.85rem;margin:.1rem 0}
.memory-chart{width:100%;min-height:220px}
svg.tasks{display:block;max-width:100%}svg.tasks rect{fill:var(--bar)}svg.tasks .victim rect{fill:var(--victim)}
svg.tasks text{fill:var(--fg);font-size:12px}
.table-wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
td.num{text-align:right}.notes{color:var(--muted);font-size:.85rem;margin:0;padding-left:1rem}.problem{color:var(--oom-daemon)}
.bundle summary{cursor:pointer;margin:.4rem 0}.ln{color:var(--muted)}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
form.filters input,form.filters select,form.filters button{font:inherit;padding:.2rem .4rem;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:4px}
.live{color:var(--muted);font-size:.85rem}.live.on::before{content:"● ";color:var(--life)}
tr.fresh{background:var(--panel)}
footer{color:var(--muted);font-size:.8rem;margin:2rem 0 1rem}
@media (max-width:600px){main{padding:.6rem}.death{padding:.5rem .6rem}body{font-size:14px}
table.sources thead{display:none}table.sources tr{display:block;border-bottom:1px solid var(--line);padding:.3rem 0}
table.sources td{display:inline-block;border:0;padding:0 .6rem 0 0}table.sources td:first-child{display:block}
table.sources td.num::after{content:" lines"}}
`;
