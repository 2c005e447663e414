// Lambda managed runtimes and AWS's three dates for each, as data. There is no API for these dates: the rows follow the
// "Supported runtimes" and "Deprecated runtimes" tables of https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
// (Name, Identifier, Deprecation date, Block function create, Block function update) and must be updated when AWS
// changes them. test/checks/runtimes.test.ts fails once `asOf` is more than 180 days old.
//
// How this version was made (2026-12-03): the live page could not be read, so every row was checked against stored copies
// of it, and each row's `source` says which. The newest copy of the whole page is dated 2026-09-29 (a third-party table
// that names the page and the date); every one of its dates agrees with cfn-lint's LmbdRuntimeLifecycle.json as of
// 2026-08-19, last changed by cfn-lint PR #4532 of 2026-06-02 ("update ... dates from AWS docs"). `asOf` is that
// 2026-09-29, not the day the file was written.
//
// Dates that moved in 2026 (the previous table, dated 2026-07-25, had the first column only): between January and June
// AWS moved most block dates of deprecated runtimes to 2027-02-01 (create) and 2027-03-03 (update), gave java8.al2,
// java11, java17 and python3.11 a year (deprecation 2026-06-30 → 2027-06-30), and moved provided.al2 to 2026-07-31 and
// python3.10 to 2026-10-31. The AL2023 builds of Java 8/11/17
// (java8.al2023, java11.al2023, java17.al2023) launched on 2026-07-31.
//
// Re-check first: one other third-party table, marked "checked Oct 2026", has 2027-07-29 / 2027-08-31 where this file has
// 2027-02-01 / 2027-03-03 (and 2027-07-29 for the block-create of java11, java17, java8.al2 and python3.11). No second
// copy confirms it, so the rows keep the dates above. If AWS did move them, functions on those runtimes are reported
// "create blocked" / "update blocked" up to five months early.
//
// A date is a UTC day: the phase starts at 00:00 UTC that day. null: AWS lists no such date (not scheduled, or
// container-image only). A runtime missing from the table is reported as NOT_ASSESSED, never guessed.
/** A UTC day, YYYY-MM-DD. */
export type IsoDay = string;

export interface RuntimeRow {
  /** The runtime identifier as ListFunctions returns it in `Runtime`. */
  id: string;
  family: 'nodejs' | 'python' | 'java' | 'dotnet' | 'ruby' | 'provided' | 'go';
  /** AWS stops security patches and support. null: not scheduled. */
  deprecation: IsoDay | null;
  /** AWS blocks creating functions on the runtime. null: not announced (or container-image only). */
  blockCreate: IsoDay | null;
  /** AWS blocks updating functions on the runtime (code and configuration). null: not announced. */
  blockUpdate: IsoDay | null;
  /** Where these dates came from. */
  source: string;
}

export interface RuntimeTable {
  /** The day the rows were last checked against the AWS page. */
  asOf: IsoDay;
  page: string;
  rows: readonly RuntimeRow[];
}


/** The page copy that most rows come from; see the header. */
const PAGE_2026_09 =
  'AWS runtimes page as copied 2026-09-29; the same three dates in cfn-lint LmbdRuntimeLifecycle.json (PR #4532, 2026-06-02, from the AWS page)';
const PAGE_2026_09_MOVED = `${PAGE_2026_09}; moved in the first half of 2026 (cfn-lint's copy of January 2026 had earlier dates)`;
const AL2023_JAVA =
  'deprecation: AWS runtimes page as copied 2026-08-15 (runtime launched 2026-07-31); block dates: in no stored copy, null until confirmed';
const PREVIEW = 'AWS runtimes page as copied 2026-08-15: public preview, deprecation "Not scheduled"';

export const RUNTIME_TABLE: RuntimeTable = {
  asOf: '2026-09-29',
  page: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html',
  rows: [
    // Node.js
    { id: 'nodejs26.x', family: 'nodejs', deprecation: null, blockCreate: null, blockUpdate: null, source: PREVIEW },
    { id: 'nodejs24.x', family: 'nodejs', deprecation: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01', source: PAGE_2026_09 },
    { id: 'nodejs22.x', family: 'nodejs', deprecation: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01', source: PAGE_2026_09 },
    { id: 'nodejs20.x', family: 'nodejs', deprecation: '2026-04-30', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'nodejs18.x', family: 'nodejs', deprecation: '2025-09-01', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'nodejs16.x', family: 'nodejs', deprecation: '2024-06-12', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'nodejs14.x', family: 'nodejs', deprecation: '2023-12-04', blockCreate: '2024-01-09', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'nodejs12.x', family: 'nodejs', deprecation: '2023-03-31', blockCreate: '2023-03-31', blockUpdate: '2023-04-30', source: PAGE_2026_09 },
    { id: 'nodejs10.x', family: 'nodejs', deprecation: '2021-07-30', blockCreate: '2021-07-30', blockUpdate: '2022-02-14', source: PAGE_2026_09 },
    // Before 2021 AWS blocked creation first, so the page lists these block-create dates before the deprecation date
    // (and, for nodejs4.3-edge, the block-update date too). The check takes the furthest phase whose date has passed.
    { id: 'nodejs8.10', family: 'nodejs', deprecation: '2020-03-06', blockCreate: '2020-02-04', blockUpdate: '2020-03-06', source: PAGE_2026_09 },
    { id: 'nodejs6.10', family: 'nodejs', deprecation: '2019-08-12', blockCreate: '2019-07-12', blockUpdate: '2019-08-12', source: PAGE_2026_09 },
    { id: 'nodejs4.3', family: 'nodejs', deprecation: '2020-03-05', blockCreate: '2020-02-03', blockUpdate: '2020-03-05', source: PAGE_2026_09 },
    { id: 'nodejs4.3-edge', family: 'nodejs', deprecation: '2020-03-05', blockCreate: '2019-03-31', blockUpdate: '2019-04-30', source: PAGE_2026_09 },
    { id: 'nodejs', family: 'nodejs', deprecation: '2016-08-30', blockCreate: '2016-09-30', blockUpdate: '2016-10-31', source: PAGE_2026_09 },
    // Python
    { id: 'python3.15', family: 'python', deprecation: null, blockCreate: null, blockUpdate: null, source: PREVIEW },
    { id: 'python3.14', family: 'python', deprecation: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31', source: PAGE_2026_09 },
    { id: 'python3.13', family: 'python', deprecation: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31', source: PAGE_2026_09 },
    { id: 'python3.12', family: 'python', deprecation: '2028-10-31', blockCreate: '2028-11-30', blockUpdate: '2029-01-10', source: PAGE_2026_09 },
    { id: 'python3.11', family: 'python', deprecation: '2027-06-30', blockCreate: '2027-07-31', blockUpdate: '2027-08-31', source: PAGE_2026_09_MOVED },
    { id: 'python3.10', family: 'python', deprecation: '2026-10-31', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'python3.9', family: 'python', deprecation: '2025-12-15', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'python3.8', family: 'python', deprecation: '2024-10-14', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'python3.7', family: 'python', deprecation: '2023-12-04', blockCreate: '2024-01-09', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'python3.6', family: 'python', deprecation: '2022-07-18', blockCreate: '2022-07-18', blockUpdate: '2022-08-29', source: PAGE_2026_09 },
    { id: 'python2.7', family: 'python', deprecation: '2021-07-15', blockCreate: '2021-07-15', blockUpdate: '2022-05-30', source: PAGE_2026_09 },
    // Java
    { id: 'java25', family: 'java', deprecation: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31', source: PAGE_2026_09 },
    { id: 'java21', family: 'java', deprecation: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31', source: PAGE_2026_09 },
    { id: 'java17.al2023', family: 'java', deprecation: '2029-06-30', blockCreate: null, blockUpdate: null, source: AL2023_JAVA },
    { id: 'java11.al2023', family: 'java', deprecation: '2029-06-30', blockCreate: null, blockUpdate: null, source: AL2023_JAVA },
    { id: 'java8.al2023', family: 'java', deprecation: '2029-06-30', blockCreate: null, blockUpdate: null, source: AL2023_JAVA },
    { id: 'java17', family: 'java', deprecation: '2027-06-30', blockCreate: '2027-07-31', blockUpdate: '2027-08-31', source: PAGE_2026_09_MOVED },
    { id: 'java11', family: 'java', deprecation: '2027-06-30', blockCreate: '2027-07-31', blockUpdate: '2027-08-31', source: PAGE_2026_09_MOVED },
    { id: 'java8.al2', family: 'java', deprecation: '2027-06-30', blockCreate: '2027-07-31', blockUpdate: '2027-08-31', source: PAGE_2026_09_MOVED },
    { id: 'java8', family: 'java', deprecation: '2024-01-08', blockCreate: '2024-02-08', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    // .NET
    { id: 'dotnet10', family: 'dotnet', deprecation: '2028-11-14', blockCreate: '2028-12-14', blockUpdate: '2029-01-15', source: PAGE_2026_09 },
    {
      id: 'dotnet9', family: 'dotnet', deprecation: '2026-11-10', blockCreate: null, blockUpdate: null,
      source: `${PAGE_2026_09}: container-image only, no block dates`,
    },
    { id: 'dotnet8', family: 'dotnet', deprecation: '2026-11-10', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    {
      id: 'dotnet7', family: 'dotnet', deprecation: '2024-05-14', blockCreate: '2024-05-14', blockUpdate: '2024-05-14',
      source: 'container-image only; not in the 2026 copies of the page; cfn-lint LmbdRuntimeLifecycle.json of 2024-2025',
    },
    { id: 'dotnet6', family: 'dotnet', deprecation: '2024-12-20', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    {
      id: 'dotnet5.0', family: 'dotnet', deprecation: '2022-05-10', blockCreate: null, blockUpdate: null,
      source: 'container-image only; not in the 2026 copies of the page; deprecation as in lens-audit\'s table of 2026-07-25 and endoflife.date; block dates not found',
    },
    { id: 'dotnetcore3.1', family: 'dotnet', deprecation: '2023-04-03', blockCreate: '2023-04-03', blockUpdate: '2023-05-03', source: PAGE_2026_09 },
    { id: 'dotnetcore2.1', family: 'dotnet', deprecation: '2022-01-05', blockCreate: '2022-01-05', blockUpdate: '2022-04-13', source: PAGE_2026_09 },
    { id: 'dotnetcore2.0', family: 'dotnet', deprecation: '2019-05-30', blockCreate: '2019-04-30', blockUpdate: '2019-05-30', source: PAGE_2026_09 },
    { id: 'dotnetcore1.0', family: 'dotnet', deprecation: '2019-06-27', blockCreate: '2019-06-30', blockUpdate: '2019-07-30', source: PAGE_2026_09 },
    // Ruby
    { id: 'ruby4.0', family: 'ruby', deprecation: '2029-03-31', blockCreate: '2029-04-30', blockUpdate: '2029-05-31', source: PAGE_2026_09 },
    { id: 'ruby3.4', family: 'ruby', deprecation: '2028-03-31', blockCreate: '2028-04-30', blockUpdate: '2028-05-31', source: PAGE_2026_09 },
    { id: 'ruby3.3', family: 'ruby', deprecation: '2027-03-31', blockCreate: '2027-04-30', blockUpdate: '2027-05-31', source: PAGE_2026_09 },
    { id: 'ruby3.2', family: 'ruby', deprecation: '2026-03-31', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'ruby2.7', family: 'ruby', deprecation: '2023-12-07', blockCreate: '2024-01-09', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'ruby2.5', family: 'ruby', deprecation: '2021-07-30', blockCreate: '2021-07-30', blockUpdate: '2022-03-31', source: PAGE_2026_09 },
    // OS-only and Go
    { id: 'provided.al2023', family: 'provided', deprecation: '2029-06-30', blockCreate: '2029-07-31', blockUpdate: '2029-08-31', source: PAGE_2026_09 },
    { id: 'provided.al2', family: 'provided', deprecation: '2026-07-31', blockCreate: '2027-02-01', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'provided', family: 'provided', deprecation: '2024-01-08', blockCreate: '2024-02-08', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
    { id: 'go1.x', family: 'go', deprecation: '2024-01-08', blockCreate: '2024-02-08', blockUpdate: '2027-03-03', source: PAGE_2026_09_MOVED },
  ],
};
