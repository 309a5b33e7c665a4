/** The tests start nats-server the way the desk bench does (src/main/desk/nats-server.ts). */
export * from '../../src/main/desk/nats-server';
