import { describe, expect, it } from 'vitest';
import { AliasIndex, aliasProblem, normaliseOrganisation } from '../../../core/catalog/registrant-alias.js';

describe('registrant aliases', () => {
  it('normalises case, accents and punctuation', () => {
    expect(normaliseOrganisation('Tp-Link Technologies Co.,Ltd.')).toBe('tp link technologies co ltd');
    expect(normaliseOrganisation('  Société Générale—Électrique ')).toBe('societe generale electrique');
    expect(normaliseOrganisation('D-Link （Shanghai）Limited Corp.')).toBe('d link shanghai limited corp');
  });

  it('matches whole leading words, longest alias first', () => {
    const index = new AliasIndex<string>();
    index.add('Siemens', 'Siemens');
    index.add('Siemens Energy', 'Siemens Energy');
    index.add('Cisco', 'Cisco');
    index.add('Cisco-Linksys', 'Linksys');
    expect(index.match('Siemens Numerical Control Ltd., Nanjing')).toBe('Siemens');
    expect(index.match('SIEMENS AG')).toBe('Siemens');
    expect(index.match('Siemens Energy Global GmbH & Co. KG')).toBe('Siemens Energy');
    expect(index.match('Cisco-Linksys, LLC')).toBe('Linksys');
    expect(index.match('Cisco Systems, Inc')).toBe('Cisco');
    // Word boundaries: a longer word that merely starts with the alias is another company.
    expect(index.match('Siemensstadt Widgets')).toBeUndefined();
    // The alias must start the name: "Fujitsu Siemens Computers" is not claimed by Siemens.
    expect(index.match('Fujitsu Siemens Computers')).toBeUndefined();
    expect(index.matchedAlias('Cisco-Linksys, LLC')).toBe('cisco linksys');
    expect(index.match('')).toBeUndefined();
  });

  it('reports a clash instead of replacing the owner', () => {
    const index = new AliasIndex<string>();
    expect(index.add('Moxa', 'Moxa')).toBeUndefined();
    expect(index.add('MOXA.', 'Other')).toBe('Moxa');
    expect(index.match('Moxa Inc')).toBe('Moxa');
  });

  it('rejects catch-all aliases', () => {
    expect(aliasProblem('Co., Ltd.')).toMatch(/generic/);
    expect(aliasProblem('Shenzhen Technology')).toMatch(/generic/);
    expect(aliasProblem('GE')).toMatch(/shorter than 3/);
    expect(aliasProblem('1 2')).toMatch(/generic/);
    expect(aliasProblem('--')).toMatch(/shorter than 3/);
    expect(aliasProblem('a b c d e f g h i j')).toMatch(/generic|more than/);
    expect(aliasProblem('ZTE')).toBeNull();
    expect(aliasProblem('Zhejiang Dahua')).toBeNull();
  });
});
