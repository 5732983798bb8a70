// The regulator's summary as data: a TypeBox schema (JSON Schema) with a version in the document,
// so a reader knows exactly what it holds. docs/report-schema.md documents it and
// docs/report-schema.json is this schema, kept in sync by a test.
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

export const SUMMARY_SCHEMA_ID = 'originmap.summary/1';

const Count = Type.Integer({ minimum: 0 });
const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$',
  description: 'ISO 8601 instant in UTC',
});
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
const MaybeCountry = Type.Union([Country, Type.Null()]);
const Text = Type.String({ maxLength: 2048 });
const MaybeText = Type.Union([Text, Type.Null()]);
const Severity = Type.Union([
  Type.Literal('info'),
  Type.Literal('low'),
  Type.Literal('medium'),
  Type.Literal('high'),
  Type.Literal('critical'),
]);
const Delta = Type.Object({ previous: Count, current: Count }, { additionalProperties: false });

const strict = { additionalProperties: false } as const;

export const PeriodSchema = Type.Object(
  { start: Instant, end: Instant, label: Text, timeZone: Text },
  { ...strict, description: 'Reporting period: start inclusive, end exclusive' },
);

export const SummarySchema = Type.Object(
  {
    schema: Type.Literal(SUMMARY_SCHEMA_ID),
    generatedAt: Instant,
    generator: Type.Object({ name: Type.Literal('originmap'), version: Text }, strict),
    operator: Type.Object({ id: Text, name: Text, sector: MaybeText, homeCountry: MaybeCountry }, strict),
    period: PeriodSchema,
    policy: Type.Object({ packs: Type.Array(Text) }, { ...strict, description: 'Packs and files evaluated' }),
    sites: Type.Array(Type.Object({ id: Text, name: Text, devices: Count, agents: Count }, strict)),
    coverage: Type.Union(
      [
        Type.Object(
          {
            windowHours: Count,
            agentsTotal: Count,
            agentsReporting: Count,
            agents: Type.Array(
              Type.Object(
                {
                  id: Text,
                  site: Text,
                  lastSeen: Type.Union([Instant, Type.Null()]),
                  reporting: Type.Boolean(),
                  uptime: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
                    description:
                      'Share of the period (from the agent being set up) it was heard from; null without a history',
                  }),
                },
                strict,
              ),
            ),
            gaps: Type.Array(
              Type.Object(
                {
                  agent: Text,
                  site: Text,
                  lastSeen: Type.Union([Instant, Type.Null()]),
                  silentHours: Type.Union([Count, Type.Null()]),
                },
                strict,
              ),
            ),
            sitesWithoutReportingAgent: Type.Array(Text),
            silenceHours: Count,
            silences: Type.Array(
              Type.Object(
                {
                  agent: Text,
                  site: Text,
                  from: Instant,
                  to: Type.Union([Instant, Type.Null()], {
                    description: 'null: not heard from again before the period end',
                  }),
                  hours: Count,
                },
                strict,
              ),
              {
                description:
                  'Stretches of the period without a heartbeat or an upload, silenceHours or longer',
              },
            ),
          },
          strict,
        ),
        Type.Null(),
      ],
      { description: 'null when the summary was made offline from a capture (no agents)' },
    ),
    devices: Type.Object(
      {
        total: Count,
        unknownVendorCountry: Count,
        byClassCountry: Type.Array(
          Type.Object({ class: Text, vendorCountry: MaybeCountry, count: Count }, strict),
        ),
        byVendorCountry: Type.Array(
          Type.Object(
            { country: MaybeCountry, count: Count, foreign: Type.Union([Type.Boolean(), Type.Null()]) },
            strict,
          ),
        ),
        byClass: Type.Array(Type.Object({ class: Text, count: Count }, strict)),
      },
      strict,
    ),
    watchlisted: Type.Object(
      {
        total: Count,
        byList: Type.Array(Type.Object({ list: Text, count: Count }, strict)),
        devices: Type.Array(
          Type.Object(
            {
              device: Text,
              site: MaybeText,
              vendor: MaybeText,
              vendorCountry: MaybeCountry,
              class: MaybeText,
              model: MaybeText,
              firmware: MaybeText,
              watchlists: Type.Array(Text),
              firstSeen: Instant,
              lastSeen: Instant,
            },
            strict,
          ),
        ),
      },
      strict,
    ),
    foreignConnections: Type.Object(
      {
        total: Count,
        unknownCountry: Count,
        devices: Count,
        bytes: Count,
        byCountry: Type.Array(
          Type.Object({ country: Country, connections: Count, devices: Count, bytes: Count }, strict),
        ),
        byProviderKind: Type.Array(Type.Object({ kind: Text, connections: Count, bytes: Count }, strict)),
        top: Type.Array(
          Type.Object(
            {
              device: Text,
              remoteIp: Text,
              direction: Type.Union([Type.Literal('outbound'), Type.Literal('inbound')]),
              remotePort: Type.Union([Count, Type.Null()]),
              localPort: Type.Union([Count, Type.Null()]),
              proto: Text,
              country: Country,
              asn: Type.Union([Count, Type.Null()]),
              asOrg: MaybeText,
              provider: MaybeText,
              providerKind: MaybeText,
              names: Type.Array(Text),
              bytes: Count,
            },
            strict,
          ),
        ),
      },
      strict,
    ),
    findings: Type.Object(
      {
        openAtEnd: Count,
        opened: Count,
        resolved: Count,
        waived: Count,
        reopened: Count,
        bySeverity: Type.Array(Type.Object({ severity: Severity, open: Count }, strict)),
        byRule: Type.Array(
          Type.Object(
            { rule: Text, severity: Severity, open: Count, opened: Count, resolved: Count, waived: Count },
            strict,
          ),
        ),
        open: Type.Array(
          Type.Object(
            {
              id: Text,
              rule: Text,
              severity: Severity,
              status: Text,
              subject: Text,
              message: Text,
              firstSeen: Instant,
            },
            strict,
          ),
        ),
      },
      strict,
    ),
    waiversExpiring: Type.Array(
      Type.Object(
        {
          finding: Text,
          rule: Text,
          subject: Text,
          until: Instant,
          daysLeft: Count,
          approver: Text,
          reason: Text,
        },
        strict,
      ),
    ),
    changes: Type.Union(
      [
        Type.Object(
          {
            previousPeriod: PeriodSchema,
            devices: Delta,
            watchlisted: Delta,
            foreignConnections: Delta,
            openFindings: Delta,
            newVendorCountries: Type.Array(Country),
            goneVendorCountries: Type.Array(Country),
            newForeignCountries: Type.Array(Country),
            byClassCountry: Type.Array(
              Type.Object(
                { class: Text, vendorCountry: MaybeCountry, previous: Count, current: Count },
                strict,
              ),
            ),
          },
          strict,
        ),
        Type.Null(),
      ],
      { description: 'null for the first report (no previous period given)' },
    ),
  },
  {
    ...strict,
    $id: 'urn:originmap:schema:summary:1',
    title: 'originmap regulator summary, version 1',
  },
);

export type Summary = Static<typeof SummarySchema>;

/** Schema problems of a document, as "path: message" lines; empty when it conforms. */
export function summaryProblems(doc: unknown): string[] {
  return [...Value.Errors(SummarySchema, doc)]
    .slice(0, 20)
    .map((e) => `${e.instancePath || '/'}: ${e.message}`);
}
