export class RedisQueue { static async connect(_o: object): Promise<never> { throw new Error('todo'); } }
