// Site home networks: parsed with core/net, stored in canonical text, refused with the bad entry named.
import { CidrError, parseCidr } from '../../core/net/cidr.js';
import { ApiError } from '../errors.js';
import { canonicalIp } from '../ingest/merge.js';

export function canonicalCidrs(list: readonly string[]): string[] {
  return list.map((text, i) => {
    try {
      parseCidr(text);
    } catch (err) {
      if (err instanceof CidrError)
        throw new ApiError('OM_ERR_REQ_VALIDATION', [`homeNet/${i}: ${err.message}`]);
      throw err;
    }
    const [ip = '', bits = ''] = text.split('/');
    return `${canonicalIp(ip) ?? ip}/${Number(bits)}`;
  });
}
