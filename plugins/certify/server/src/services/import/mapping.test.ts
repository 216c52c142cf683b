import { proposeMapping, normaliseHeader } from './mapping';
import { RowValidator } from './rows';

/** A sample as the importer holds it: rows of cells in header order. */
const rows = (...lines: string[]) => lines.map((l) => l.split('|'));
const explanation = (proposal: ReturnType<typeof proposeMapping>, column: string) =>
  proposal.explanations.find((e) => e.column === column)?.text;

describe('mapping from header names alone (nothing sampled)', () => {
  it('suggests fields from common header names', () => {
    expect(
      proposeMapping(['Place', 'Bib', 'Name', 'Div', 'M/F', 'Gender Place', 'Div Place', 'Chip Time', 'Official Time', 'E-mail']).mapping
    ).toEqual({
      rankOverall: 'Place',
      bib: 'Bib',
      name: 'Name',
      category: 'Div',
      gender: 'M/F',
      rankGender: 'Gender Place',
      rankCategory: 'Div Place',
      finishTime: 'Official Time',
      email: 'E-mail',
    });
    expect(proposeMapping(['Dossard', 'Prénom', 'Nom', 'Catégorie', 'Sexe', 'Temps']).mapping).toEqual({
      bib: 'Dossard',
      firstName: 'Prénom',
      lastName: 'Nom',
      category: 'Catégorie',
      gender: 'Sexe',
      finishTime: 'Temps',
    });
    expect(proposeMapping(['Startnummer', 'Vorname', 'Nachname', 'Altersklasse']).mapping).toMatchObject({ bib: 'Startnummer', category: 'Altersklasse' });
  });

  it("reads Certify's own field names and their usual aliases", () => {
    const certify = ['bib', 'name', 'firstName', 'lastName', 'gender', 'category', 'finishTime', 'finishSeconds', 'rankOverall', 'rankGender', 'rankCategory', 'email'];
    const { mapping, ignored } = proposeMapping(certify);
    expect(mapping).toEqual({
      bib: 'bib',
      name: 'name',
      firstName: 'firstName',
      lastName: 'lastName',
      gender: 'gender',
      category: 'category',
      finishTime: 'finishTime',
      rankOverall: 'rankOverall',
      rankGender: 'rankGender',
      rankCategory: 'rankCategory',
      email: 'email',
    });
    expect([...ignored.keys()]).toEqual(['finishSeconds']);
    expect(
      proposeMapping(['bib_number', 'full_name', 'sex', 'age_group', 'chip_time', 'overall_rank', 'gender_rank', 'category_rank', 'email_address']).mapping
    ).toEqual({
      bib: 'bib_number',
      name: 'full_name',
      gender: 'sex',
      category: 'age_group',
      finishTime: 'chip_time',
      rankOverall: 'overall_rank',
      rankGender: 'gender_rank',
      rankCategory: 'category_rank',
      email: 'email_address',
    });
  });

  it('splits camelCase headers', () => {
    expect(normaliseHeader('RankOverGender')).toBe('rank over gender');
    expect(normaliseHeader('BibNumber')).toBe('bib number');
    expect(normaliseHeader('Place (Overall)')).toBe('place overall');
  });
});

describe('mapping from header names and values together', () => {
  // The layout from the issue: three places (Overall, Gender, Division) and the sex in M/F.
  const headers = ['Bib', 'Name', 'Age', 'M/F', 'City', '5K', 'Half', 'Pace', 'Proj Time', 'Official Time', 'Overall', 'Gender', 'Division'];
  const sample = rows(
    '3|Desisa, Lelisa|23|M|Ambo|0:15:07|1:04:35|0:04:58|-|2:10:22|1|1|1',
    '19|Kogo, Micah|26|M|Eldoret|0:15:07|1:04:35|0:04:58|-|2:10:27|2|2|2',
    'F1|Jeptoo, Rita|32|F|Eldoret|0:16:58|1:12:09|0:05:28|-|2:26:25|39|1|1',
    '25756|Smith, Ann|71|F|Boston|0:49:21|2:55:10|0:14:02|-|6:07:31|25756|11431|12'
  );

  it('takes whole-number place columns as ranks and the M/F column as the sex', () => {
    const p = proposeMapping(headers, sample);
    expect(p.mapping).toEqual({
      bib: 'Bib',
      name: 'Name',
      gender: 'M/F',
      finishTime: 'Official Time',
      rankOverall: 'Overall',
      rankGender: 'Gender',
      rankCategory: 'Division',
    });
    expect(explanation(p, 'Overall')).toBe('Overall → overall rank: whole numbers 1–25,756 in a column named Overall');
    expect(explanation(p, 'Gender')).toBe('Gender → gender rank: whole numbers 1–11,431 in a column named Gender');
    expect(explanation(p, 'Division')).toBe('Division → category rank: whole numbers 1–12 in a column named Division');
    expect(explanation(p, 'M/F')).toBe('M/F → sex: values F/M in a column named M/F');
    expect(explanation(p, 'Official Time')).toBe('Official Time → finish time: times like 2:10:22 in a column named Official Time');
  });

  it('never takes a pace or a projected time as the finish time; splits are recognised as times kept in extra', () => {
    const p = proposeMapping(headers, sample);
    expect(explanation(p, 'Pace')).toBe('Pace → not the finish time: a pace, kept in extra data');
    expect(p.explanations.find((e) => e.column === 'Proj Time')?.kind).toBe('extra');
    expect(p.explanations.filter((e) => e.kind === 'split').map((e) => e.column)).toEqual(['5K', 'Half']);
    expect(explanation(p, '5K')).toBe('5K → split time (times like 0:15:07), kept in extra data');
    // Even alone, a pace column is not a finish time.
    expect(proposeMapping(['Bib', 'Pace', 'min/km'], rows('1|4:58|4:58')).mapping.finishTime).toBeUndefined();
  });

  it('prefers net, chip and official times over gun and clock times, and says so', () => {
    const p = proposeMapping(['Bib', 'Gun Time', 'Chip Time'], rows('1|2:10:30|2:10:22'));
    expect(p.mapping.finishTime).toBe('Chip Time');
    expect(explanation(p, 'Chip Time')).toBe('Chip Time → finish time: times like 2:10:22 in a column named Chip Time; preferred over Gun Time');
    expect(proposeMapping(['Bib', 'Clock', 'Official'], rows('1|1:00:10|1:00:02')).mapping.finishTime).toBe('Official');
  });

  it('a text Division/Age Group column is the category; a Gender column of M/F is the sex', () => {
    const p = proposeMapping(['Pos', 'Bib', 'Name', 'Gender', 'Division', 'Time'], rows('1|10|Ann Lee|F|F40|0:20:01', '2|11|Bo Ek|M|M18-34|0:20:05', '3|12|Cy Do|X|W45|0:21:00'));
    expect(p.mapping).toEqual({ rankOverall: 'Pos', bib: 'Bib', name: 'Name', gender: 'Gender', category: 'Division', finishTime: 'Time' });
    expect(explanation(p, 'Division')).toBe('Division → category: values like "F40", "M18-34", "W45" in a column named Division');
  });

  it('a sex column spelled Male/Female, W or D is the sex', () => {
    expect(proposeMapping(['Bib', 'Sex'], rows('1|Male', '2|Female', '3|W', '4|D')).mapping.gender).toBe('Sex');
  });

  it('a place-named column that does not hold whole numbers is not a rank', () => {
    const p = proposeMapping(['Bib', 'Place', 'Name'], rows('1|Boston|Ann', '2|Paris|Bo'));
    expect(p.mapping).toEqual({ bib: 'Bib', name: 'Name' });
    expect(explanation(p, 'Place')).toBe('Place → kept in extra data');
  });

  it("ignores the bookkeeping columns of Certify's own export", () => {
    const p = proposeMapping(
      ['bib', 'name', 'finishTime', 'finishSeconds', 'status', 'verificationCode', 'Club'],
      rows('1|Ann|1:00:00|3600|published|ABCDEFGHJKLMNPQR|NN')
    );
    expect([...p.ignored.keys()]).toEqual(['status', 'verificationCode', 'finishSeconds']);
    const v = new RowValidator(p.explanations.map((e) => e.column), p.mapping, { ignore: p.ignored.keys() });
    const r = v.validate(['1', 'Ann', '1:00:00', '3600', 'published', 'ABCDEFGHJKLMNPQR', 'NN'], 2, null);
    expect(r.ok && r.record.extra).toEqual({ Club: 'NN' });
    // A partner's own "Status" column is data.
    expect(proposeMapping(['Bib', 'Status'], rows('1|Finished')).ignored.size).toBe(0);
  });

  it('a push with finishSeconds alone stores the time as h:mm:ss', () => {
    const p = proposeMapping(['bib', 'finishSeconds'], rows('1|7269'));
    expect(p.mapping).toEqual({ bib: 'bib', finishTime: 'finishSeconds' });
    const r = new RowValidator(['bib', 'finishSeconds'], p.mapping).validate(['1', '7269.5'], 2, null);
    expect(r.ok && r.record).toMatchObject({ finishTime: '2:01:09.50', finishSeconds: 7269.5 });
  });
});

describe('headers written as one lower-case word', () => {
  it('reads "chiptime" and "rankbycat", leaves a rank of zeros and a team beside first/last names unmapped', () => {
    const headers = ['bib', 'rank', 'firstname', 'lastname', 'sex', 'team', 'time', 'chiptime', 'rankbycat', 'rankbysex'];
    const p = proposeMapping(headers, rows('3110|1|DANIEL|SCROB|M|CSC Sibiu|00:07:54|00:07:54|1|0', '1271|641|Cristina|Bercea|F|Nu|01:15:53|01:14:49|78|0'));
    expect(p.mapping).toEqual({ bib: 'bib', rankOverall: 'rank', firstName: 'firstname', lastName: 'lastname', gender: 'sex', finishTime: 'chiptime', rankCategory: 'rankbycat' });
    expect(explanation(p, 'chiptime')).toMatch(/; preferred over time$/);
    expect(explanation(p, 'rankbysex')).toBe('rankbysex → kept in extra data');
  });
});
