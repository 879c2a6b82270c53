import { extractAdfText } from './adf-validator';
import { escapeHtml } from './representations';
import type { JiraState } from './types';

/**
 * The HTML board at `/`: issues by project and status, with plain forms (no script) to
 * transition, edit the summary and delete, acting as a chosen seeded user.
 */

const e = escapeHtml;

export interface BoardMessage {
  kind: 'ok' | 'error';
  text: string;
}

function userSelect(state: JiraState, selected: string): string {
  const options = state.users
    .filter((u) => u.accountType === 'atlassian' && u.active)
    .map(
      (u) =>
        `<option value="${e(u.accountId)}"${u.accountId === selected ? ' selected' : ''}>` +
        `${e(u.displayName)}${u.administer ? ' (admin)' : ''}</option>`,
    )
    .join('');
  return `<select name="as" aria-label="Act as">${options}</select>`;
}

export function renderBoardPage(state: JiraState, actingAs: string, message?: BoardMessage): string {
  const statusName = (id: string) => state.statuses.find((s) => s.id === id)?.name ?? id;
  const category = (id: string) => state.statuses.find((s) => s.id === id)?.categoryId ?? 2;
  const resolutionOptions =
    '<option value="">(resolution)</option>' +
    state.resolutions.map((r) => `<option value="${e(r.id)}">${e(r.name)}</option>`).join('');
  const projects = state.projects
    .map((project) => {
      const issues = state.issues.filter((i) => i.projectId === project.id);
      const columns = project.workflow.statusIds
        .map((statusId) => {
          const cards = issues
            .filter((i) => i.statusId === statusId)
            .map((issue) => {
              const transitions = project.workflow.transitions.filter(
                (t) => t.from.length === 0 || t.from.includes(issue.statusId),
              );
              const needsResolution = transitions.some((t) => t.screen?.fields.includes('resolution'));
              const priority = state.priorities.find((p) => p.id === issue.values['priority'])?.name ?? '';
              const labels = ((issue.values['labels'] as string[] | undefined) ?? [])
                .map((l) => `<span class="label">${e(l)}</span>`)
                .join(' ');
              const description = issue.values['description']
                ? e(extractAdfText(issue.values['description']).slice(0, 200))
                : '';
              const key = encodeURIComponent(issue.key);
              const summary = e(typeof issue.values['summary'] === 'string' ? issue.values['summary'] : '');
              const resolution = state.resolutions.find((r) => r.id === issue.resolutionId)?.name ?? '';
              const transitionOptions = transitions
                .map((t) => `<option value="${e(t.id)}">${e(t.name)} → ${e(statusName(t.to))}</option>`)
                .join('');
              const act = userSelect(state, actingAs);
              return `<li class="card" id="issue-${e(issue.key)}">
  <div><strong>${e(issue.key)}</strong> ${summary}</div>
  <div class="meta">${e(priority)} ${labels}${issue.resolutionId ? ` · resolution: ${e(resolution)}` : ''}</div>
  ${description ? `<div class="desc">${description}</div>` : ''}
  <form method="post" action="/board/issues/${key}/transition">${act}
    <select name="transitionId" aria-label="Transition">${transitionOptions}</select>
    ${needsResolution ? `<select name="resolutionId" aria-label="Resolution">${resolutionOptions}</select>` : ''}
    <button type="submit"${transitions.length === 0 ? ' disabled' : ''}>Move</button></form>
  <form method="post" action="/board/issues/${key}/edit">${act}
    <input name="summary" value="${summary}" aria-label="Summary" maxlength="255">\
<button type="submit">Save summary</button></form>
  <form method="post" action="/board/issues/${key}/delete">${act}<button type="submit">Delete</button></form>
</li>`;
            })
            .join('\n');
          return (
            `<section class="column cat-${category(statusId)}"><h3>${e(statusName(statusId))}</h3>` +
            `<ul>${cards || '<li class="empty">No issues</li>'}</ul></section>`
          );
        })
        .join('\n');
      const heading =
        `${e(project.key)} — ${e(project.name)} ` +
        `<small>(${issues.length} issues, ${e(project.workflow.name)})</small>`;
      return `<section class="project"><h2>${heading}</h2><div class="columns">${columns}</div></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Jira emulator board</title>
<style>
body{font-family:system-ui,sans-serif;margin:1rem;background:#f4f5f7;color:#172b4d}
.columns{display:flex;gap:.75rem;align-items:flex-start;overflow-x:auto}
.column{background:#ebecf0;border-radius:4px;padding:.5rem;min-width:16rem;flex:1}
.column h3{font-size:.8rem;text-transform:uppercase;margin:.25rem}
.cat-2 h3{color:#42526e}.cat-4 h3{color:#0052cc}.cat-3 h3{color:#006644}
ul{list-style:none;padding:0;margin:0}
.card{background:#fff;border-radius:3px;padding:.5rem;margin:.4rem 0;box-shadow:0 1px 1px #091e4240}
.card form{margin:.3rem 0}.meta,.desc{font-size:.8rem;color:#5e6c84}
.label{background:#dfe1e6;border-radius:3px;padding:0 .25rem}
.msg{padding:.5rem;border-radius:4px;margin-bottom:1rem}.ok{background:#e3fcef}
.error{background:#ffebe6;white-space:pre-wrap}
</style></head><body>
<h1>Jira emulator — ${e(state.siteUrl)}</h1>
<p>REST API at <code>/rest/api/3/…</code> \
(acts as the admin unless the request sends <code>X-Sandbox-User: &lt;accountId&gt;</code>). \
Board writes are a person's writes: they emit product events.</p>
${message ? `<div class="msg ${message.kind}" role="status">${e(message.text)}</div>` : ''}
${projects}
</body></html>`;
}
