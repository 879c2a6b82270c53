import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import SectionMessage from '@atlaskit/section-message';
import type { ProjectMapping, SyncConfig } from '../../../../src/contracts/admin-api';
import type { SiteMetadata } from '../../../../src/contracts/site-metadata';
import type { ProjectCatalog } from '../hooks/use-project-catalog';
import type { FieldErrors } from '../state/config-errors';
import { GlobalStatusRules } from './global-status-rules';
import { MappingEditor } from './mapping-editor';

export interface ProjectsTabProps {
  draft: SyncConfig;
  onChange: (next: SyncConfig) => void;
  site: SiteMetadata | undefined;
  catalog: ProjectCatalog;
  errors: FieldErrors;
}

function nextMappingId(mappings: ReadonlyArray<{ id: string }>): string {
  for (let n = mappings.length + 1; ; n++) {
    const id = `mapping-${n}`;
    if (!mappings.some((m) => m.id === id)) return id;
  }
}

/** Asset → project routing, one card per mapping, plus the default mapping for everything else. */
export function ProjectsTab({ draft, onChange, site, catalog, errors }: ProjectsTabProps) {
  const firstProject = site?.projects[0];
  const firstType = firstProject?.issueTypes.find((t) => !t.subtask);
  const blank = (): ProjectMapping => ({
    id: nextMappingId(draft.mappings),
    match: { assetNamePattern: '*' },
    projectKey: firstProject?.key ?? '',
    ...(firstType ? { issueTypeId: firstType.id } : {}),
    labels: [],
  });

  return (
    <section aria-labelledby="projects-heading" className="fs-tab">
      <h2 id="projects-heading">Projects</h2>
      <p className="fs-tab__description">
        Each finding goes to the first mapping whose asset matches, else to the default mapping. Status choices come
        from the project's own workflow.
      </p>
      {draft.mappings.length === 0 && !draft.defaultMapping ? (
        <SectionMessage appearance="information" title="No project is mapped yet">
          <p>Findings are received but no issue is created until you add a mapping or a default project.</p>
        </SectionMessage>
      ) : null}
      {draft.mappings.map((mapping, index) => (
        <MappingEditor
          key={mapping.id + index}
          path={`mappings[${index}]`}
          idPrefix={`mapping-${index}`}
          title={`Mapping ${index + 1}${mapping.name ? `: ${mapping.name}` : ''}`}
          mapping={mapping}
          config={draft}
          site={site}
          catalog={catalog}
          errors={errors}
          onChange={(next) =>
            onChange({ ...draft, mappings: draft.mappings.map((m, i) => (i === index ? (next as ProjectMapping) : m)) })
          }
          onRemove={() => onChange({ ...draft, mappings: draft.mappings.filter((_, i) => i !== index) })}
        />
      ))}
      <Button onClick={() => onChange({ ...draft, mappings: [...draft.mappings, blank()] })} isDisabled={!site}>
        Add project mapping
      </Button>

      <h3>Default mapping</h3>
      <Checkbox
        id="default-mapping-enabled"
        label="Send findings that match no mapping to a default project"
        isChecked={draft.defaultMapping !== undefined}
        onChange={(event) => {
          if (event.target.checked) {
            const { id: _id, match: _match, ...target } = blank();
            onChange({ ...draft, defaultMapping: { id: 'default', ...target } });
          } else {
            const next = { ...draft };
            delete next.defaultMapping;
            onChange(next);
          }
        }}
      />
      {draft.defaultMapping ? (
        <MappingEditor
          path="defaultMapping"
          idPrefix="default-mapping"
          title="Default mapping"
          mapping={draft.defaultMapping}
          config={draft}
          site={site}
          catalog={catalog}
          errors={errors}
          onChange={(next) =>
            onChange({
              ...draft,
              defaultMapping: { ...(next as NonNullable<SyncConfig['defaultMapping']>), id: 'default' },
            })
          }
        />
      ) : null}

      <GlobalStatusRules draft={draft} onChange={onChange} site={site} errors={errors} />
    </section>
  );
}
