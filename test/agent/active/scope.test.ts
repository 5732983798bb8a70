import { describe, expect, it } from 'vitest';
import { planTargets, ScanScope, ScopeError } from '../../../agent/active/scope.js';

describe('ScanScope', () => {
  it('requires an explicit, non-empty scope', () => {
    expect(() => new ScanScope({ include: [] })).toThrow(/no scope configured/);
  });

  it('rejects scopes that reach multicast, broadcast or reserved space', () => {
    expect(() => new ScanScope({ include: ['224.0.0.0/24'] })).toThrow(ScopeError);
    expect(() => new ScanScope({ include: ['0.0.0.0/0'] })).toThrow(/multicast/);
    expect(() => new ScanScope({ include: ['255.255.255.255'] })).toThrow(ScopeError);
    expect(() => new ScanScope({ include: ['ff02::/16'] })).toThrow(ScopeError);
    expect(() => new ScanScope({ include: ['192.168.0.0/16', 'fd00::/64'] })).not.toThrow();
  });

  it('names the bad CIDR in one line', () => {
    expect(() => new ScanScope({ include: ['10.0.0.1/24'] })).toThrow(/scope: '10.0.0.1\/24': host bits set/);
    expect(() => new ScanScope({ include: ['10.0.0.0/8'], exclude: ['nonsense'] })).toThrow(/exclude:/);
  });

  it('allows only in-scope, non-excluded addresses', () => {
    const scope = new ScanScope({ include: ['198.18.5.0/24'], exclude: ['198.18.5.128/25', '198.18.5.7'] });
    expect(scope.allows('198.18.5.10')).toBe(true);
    expect(scope.allows('198.18.5.7')).toBe(false);
    expect(scope.allows('198.18.5.200')).toBe(false);
    expect(scope.allows('198.18.6.1')).toBe(false);
    expect(scope.allows('not an ip')).toBe(false);
    expect(() => scope.check('198.18.6.1')).toThrow(/refusing to send to 198.18.6.1/);
  });
});

describe('planTargets', () => {
  const scope = new ScanScope({ include: ['198.18.5.0/24', 'fd00:1::/120'], exclude: ['198.18.5.20/30'] });

  it('expands CIDRs, skips network/broadcast and excluded hosts', () => {
    const plan = planTargets(['198.18.5.16/28'], scope);
    expect(plan.hosts).toEqual([
      '198.18.5.17',
      '198.18.5.18',
      '198.18.5.19',
      '198.18.5.24',
      '198.18.5.25',
      '198.18.5.26',
      '198.18.5.27',
      '198.18.5.28',
      '198.18.5.29',
      '198.18.5.30',
    ]);
    expect(plan.excluded).toBe(4);
    expect(plan.skippedSpecial).toBe(2);
  });

  it('keeps /31 and /32 targets whole (RFC 3021) and removes duplicates', () => {
    expect(planTargets(['198.18.5.10/31', '198.18.5.11'], scope).hosts).toEqual([
      '198.18.5.10',
      '198.18.5.11',
    ]);
  });

  it('refuses a target partly outside the scope before anything else', () => {
    expect(() => planTargets(['198.18.4.0/23'], scope)).toThrow(/not inside the configured scope/);
    expect(() => planTargets(['198.18.4.255'], scope)).toThrow(ScopeError);
    expect(() => planTargets(['10.0.0.1'], scope)).toThrow(/198.18.5.0\/24/);
  });

  it('refuses expansions above the cap', () => {
    expect(() => planTargets(['198.18.5.0/24'], scope, 100)).toThrow(/more than 100 addresses/);
  });

  it('expands small IPv6 targets', () => {
    const plan = planTargets(['fd00:1::fe/127'], scope);
    expect(plan.hosts).toEqual(['fd00:1::fe', 'fd00:1::ff']);
  });

  it('refuses an excluded-only target silently as zero hosts, not as an error', () => {
    expect(planTargets(['198.18.5.21'], scope).hosts).toEqual([]);
  });
});
