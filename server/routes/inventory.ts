// Analyst routes: devices (filters, keyset pages, sort, CSV) and one device with its evidence,
// reasons, connections and identity history; connections (filters, pages, CSV).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { analystScope } from '../auth/guard.js';
import { type Cell, csvPages } from '../csv.js';
import { ApiError } from '../errors.js';
import { errors, Id } from '../schemas/common.js';
import {
  type Connection,
  ConnectionPage,
  ConnectionQuery,
  type Device,
  DeviceDetail,
  DevicePage,
  DeviceQuery,
} from '../schemas/inventory.js';
import { sendCsv } from './file-reply.js';

const DEVICE_COLUMNS: { name: string; get: (d: Device) => Cell }[] = [
  { name: 'id', get: (d) => d.id },
  { name: 'key', get: (d) => d.key },
  { name: 'siteId', get: (d) => d.siteId },
  { name: 'mac', get: (d) => d.mac },
  { name: 'ips', get: (d) => d.ips },
  { name: 'hostnames', get: (d) => d.hostnames },
  { name: 'vendor', get: (d) => d.vendor },
  { name: 'vendorCountry', get: (d) => d.vendorCountry },
  { name: 'vendorParent', get: (d) => d.vendorParent },
  { name: 'watchlists', get: (d) => d.watchlists },
  { name: 'registrant', get: (d) => d.registrant },
  { name: 'registrantCountry', get: (d) => d.registrantCountry },
  { name: 'randomizedMac', get: (d) => d.randomizedMac },
  { name: 'class', get: (d) => d.class },
  { name: 'model', get: (d) => d.model },
  { name: 'firmware', get: (d) => d.firmware },
  { name: 'os', get: (d) => d.os },
  { name: 'confidence', get: (d) => d.confidence },
  { name: 'services', get: (d) => d.services },
  { name: 'firstSeen', get: (d) => d.firstSeen },
  { name: 'lastSeen', get: (d) => d.lastSeen },
];

const CONNECTION_COLUMNS: { name: string; get: (c: Connection) => Cell }[] = [
  { name: 'id', get: (c) => c.id },
  { name: 'device', get: (c) => c.device },
  { name: 'deviceId', get: (c) => c.deviceId },
  { name: 'siteId', get: (c) => c.siteId },
  { name: 'remoteIp', get: (c) => c.remoteIp },
  { name: 'direction', get: (c) => c.direction },
  { name: 'remotePort', get: (c) => c.remotePort },
  { name: 'localPort', get: (c) => c.localPort },
  { name: 'proto', get: (c) => c.proto },
  { name: 'country', get: (c) => c.country },
  { name: 'asn', get: (c) => c.asn },
  { name: 'asOrg', get: (c) => c.asOrg },
  { name: 'provider', get: (c) => c.provider },
  { name: 'providerKind', get: (c) => c.providerKind },
  { name: 'names', get: (c) => c.names },
  { name: 'packets', get: (c) => c.packets },
  { name: 'bytes', get: (c) => c.bytes },
  { name: 'firstSeen', get: (c) => c.firstSeen },
  { name: 'lastSeen', get: (c) => c.lastSeen },
];

// CSV exports walk every page of the listing; pages of this size keep each event-loop turn short.
const EXPORT_PAGE = 1_000;
const CsvBody = Type.String({ description: 'text/csv when format=csv' });

export const inventoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;

  app.get(
    '/devices',
    {
      config: { auth: ['analyst'] },
      schema: {
        summary: 'Devices of your operator: filters, keyset pages (pass page.next as cursor), sort, CSV',
        querystring: DeviceQuery,
        response: { 200: Type.Union([DevicePage, CsvBody]), ...errors(400) },
      },
    },
    async (req, reply) => {
      const scope = analystScope(req);
      const q = req.query;
      if (q.format === 'csv') {
        const { cursor: _c, ...rest } = q;
        return sendCsv(
          reply,
          'devices',
          csvPages(DEVICE_COLUMNS, (cursor) => s.devices.list(scope, { ...rest, cursor }, EXPORT_PAGE)),
        );
      }
      const limit = q.limit ?? 100;
      const page = s.devices.list(scope, q, limit);
      return { items: page.items, page: { next: page.next, limit } };
    },
  );

  app.get(
    '/devices/:deviceId',
    {
      config: { auth: ['analyst'] },
      schema: {
        summary:
          'One device: identity with the reasons for each field, evidence, connections, identity history',
        params: Type.Object({ deviceId: Id }, { additionalProperties: false }),
        response: { 200: DeviceDetail, ...errors(400, 404) },
      },
    },
    async (req) => {
      const device = s.devices.get(analystScope(req), req.params.deviceId);
      if (!device) throw new ApiError('OM_ERR_DEVICE_NOT_FOUND');
      return {
        device,
        reasons: s.devices.reasons(device.id),
        observations: s.devices.evidence(device.id),
        connections: s.connections.ofDevice(device.id),
        history: s.devices.history(device.id),
      };
    },
  );

  app.get(
    '/connections',
    {
      config: { auth: ['analyst'] },
      schema: {
        summary: "Your operator's connections to remote addresses: filters, keyset pages, CSV",
        querystring: ConnectionQuery,
        response: { 200: Type.Union([ConnectionPage, CsvBody]), ...errors(400) },
      },
    },
    async (req, reply) => {
      const scope = analystScope(req);
      const home = s.tenancy.operator(scope.operatorId)?.country ?? '';
      const q = req.query;
      if (q.format === 'csv') {
        const { cursor: _c, ...rest } = q;
        return sendCsv(
          reply,
          'connections',
          csvPages(CONNECTION_COLUMNS, (cursor) =>
            s.connections.list(scope, { ...rest, cursor }, EXPORT_PAGE, home),
          ),
        );
      }
      const limit = q.limit ?? 100;
      const page = s.connections.list(scope, q, limit, home);
      return { items: page.items, page: { next: page.next, limit } };
    },
  );
};
