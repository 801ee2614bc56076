namespace ChatServer.Cluster;

/// <summary>
/// The Lua scripts that make each cluster change atomic in Redis: an append to a log together with the
/// membership it implies, a nick claim with its owner, a heartbeat, and the clean-up of a lost node.
/// StackExchange.Redis sends them by hash (<c>EVALSHA</c>) once Redis has seen them.
/// </summary>
internal static class ClusterScripts
{
    /// <summary>
    /// Appends one entry to a log, for both scripts that write entries: the log's sequence number goes
    /// up by one and the entry is added with <c>XADD ... MAXLEN ~</c>. Returns its id and its push
    /// record, <c>previous-id LF id LF seq LF json</c>, with which a follower that has the previous id
    /// applies it without reading the stream. The previous id is the one given (the entry before in
    /// the same script) or the stream's own newest entry, whoever wrote it: an entry added behind the
    /// scripts' back breaks the chain, and followers read (and skip) it.
    /// </summary>
    private const string AppendFunction = """
        local function append(log, meta, json, retention, prev)
          if not prev then
            local newest = redis.call('XREVRANGE', log, '+', '-', 'COUNT', 1)
            prev = newest[1] and newest[1][1] or ''
          end
          local s = redis.call('HINCRBY', meta, 'seq', 1)
          local id = redis.call('XADD', log, 'MAXLEN', '~', retention, '*', 'e', json, 's', s)
          return id, prev .. '\n' .. id .. '\n' .. s .. '\n' .. json
        end
        """;

    /// <summary>
    /// A room's moderation state (<c>{chat}:room:#name:mod</c>, a hash next to its members hash, whose key
    /// it is made from) as the log's entries leave it: flags <c>m n t i</c> (<c>1</c>/<c>0</c>; missing: a new
    /// room's), <c>k</c>, <c>l</c>, <c>topic</c> (JSON text, nick, time), <c>o:MEMBER</c>, <c>v:MEMBER</c>,
    /// <c>b:MASK</c> (lower case; JSON mask, nick, time) and <c>inv:NICK</c>. Changed in the same script as the
    /// entry that changes it, so a snapshot's state is always the one its last entry left. A member who
    /// leaves takes its status along, and a room whose last member leaves loses it all (as IRC's channels).
    /// </summary>
    private const string ModerationFunctions = """

        local function modkey(members)
          return string.sub(members, 1, -9) .. ':mod'
        end
        local function leave(members, member, rooms, lower)
          local mod = modkey(members)
          redis.call('HDEL', members, member)
          redis.call('HDEL', mod, 'o:' .. member, 'v:' .. member)
          if redis.call('HLEN', members) == 0 then
            if rooms then redis.call('HDEL', rooms, lower) end
            redis.call('DEL', mod)
          end
        end
        local function moderate(members, json, rooms, lower)
          local mod = modkey(members)
          local e = cjson.decode(json)
          if e.k == 'topic' then
            if type(e.t) == 'string' and e.t ~= '' then
              redis.call('HSET', mod, 'topic', cjson.encode({ t = e.t, n = e.n, at = e.at }))
            else
              redis.call('HDEL', mod, 'topic')
            end
          elseif e.k == 'invite' then
            redis.call('HSET', mod, 'inv:' .. string.lower(e.to), '1')
          elseif e.k == 'kick' then
            if redis.call('HEXISTS', members, e.tm) == 1 then leave(members, e.tm, rooms, lower) end
          elseif e.k == 'mode' then
            for _, c in ipairs(e.md) do
              local m = c.c
              if m == 'o' or m == 'v' then
                if redis.call('HEXISTS', members, c.tm) == 1 then
                  if c.a then redis.call('HSET', mod, m .. ':' .. c.tm, '1') else redis.call('HDEL', mod, m .. ':' .. c.tm) end
                end
              elseif m == 'b' then
                local field = 'b:' .. string.lower(c.r)
                if c.a then redis.call('HSETNX', mod, field, cjson.encode({ m = c.r, n = e.n, at = e.at })) else redis.call('HDEL', mod, field) end
              elseif m == 'k' or m == 'l' then
                if c.a then redis.call('HSET', mod, m, c.r) else redis.call('HDEL', mod, m) end
              else
                redis.call('HSET', mod, m, c.a and '1' or '0')
              end
            end
          end
        end
        """;

    /// <summary>
    /// Appends a batch of entries, in order, each with the membership change it implies, in one call
    /// (a script call costs far more in Redis than the commands in it). KEYS: rooms index, node's
    /// rooms, then log, meta and members of each entry. ARGV: retention, then for each entry: effect
    /// (<c>line</c>, <c>join</c> (<c>join:o</c>, <c>join:v</c>, <c>join:ov</c>: with a status), <c>leave</c>,
    /// <c>nick</c>, <c>mod</c>: a change of the room's moderation state, read from the entry), member id, nick
    /// (the new one for <c>nick</c>), entry JSON, channel, lower-case room name, room name. Each log's channel gets one
    /// push with the batch's records for it (<c>previous-id LF id LF seq LF json</c>, records joined by
    /// LF). Returns the number of entries appended.
    /// </summary>
    public const string AppendBatch = AppendFunction + ModerationFunctions + """

        local retention = ARGV[1]
        local newest, pushes, channels = {}, {}, {}
        local count = (#KEYS - 2) / 3
        for i = 0, count - 1 do
          local log, meta, members = KEYS[3 + 3 * i], KEYS[4 + 3 * i], KEYS[5 + 3 * i]
          local a = 2 + 7 * i
          local effect, member, nick, json, channel, lower, room = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6]
          if string.sub(effect, 1, 4) == 'join' then
            local mod = modkey(members)
            redis.call('HSET', members, member, nick)
            redis.call('HSETNX', KEYS[1], lower, room)
            redis.call('SADD', KEYS[2], lower)
            redis.call('HDEL', mod, 'inv:' .. string.lower(nick))
            local status = string.sub(effect, 6)
            if string.find(status, 'o', 1, true) then redis.call('HSET', mod, 'o:' .. member, '1') end
            if string.find(status, 'v', 1, true) then redis.call('HSET', mod, 'v:' .. member, '1') end
          elseif effect == 'leave' then
            leave(members, member, KEYS[1], lower)
          elseif effect == 'mod' then
            moderate(members, json, KEYS[1], lower)
          elseif effect == 'nick' and redis.call('HEXISTS', members, member) == 1 then
            redis.call('HSET', members, member, nick)
          end
          local id, record = append(log, meta, json, retention, newest[log])
          newest[log] = id
          if not pushes[channel] then
            pushes[channel] = {}
            channels[#channels + 1] = channel
          end
          local records = pushes[channel]
          records[#records + 1] = record
        end
        for _, channel in ipairs(channels) do
          redis.call('PUBLISH', channel, table.concat(pushes[channel], '\n'))
        end
        return count
        """;

    /// <summary>
    /// KEYS: log, meta, members. ARGV: how many recent entries (at least 1). Returns, as of one instant: the newest
    /// id (empty if none), the log's sequence number, the members (flat id, nick pairs), the recent entries, newest first,
    /// and the room's moderation state (flat field, value pairs; see <see cref="ModerationFunctions"/>; empty for an inbox).
    /// </summary>
    public const string Snapshot = """
        local recent = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', ARGV[1])
        local last = recent[1] and recent[1][1] or ''
        local seq = redis.call('HGET', KEYS[2], 'seq') or '0'
        local mod = string.sub(KEYS[3], 1, -9) .. ':mod'
        return { last, seq, redis.call('HGETALL', KEYS[3]), recent, redis.call('HGETALL', mod) }
        """;

    /// <summary>
    /// KEYS: nick key, node's nicks. ARGV: owner value (<c>member TAB nick</c>), the owner's prefix
    /// (<c>member TAB</c>), lower-case nick. Returns 1 if the nick is now the member's, 0 if another holds it.
    /// </summary>
    public const string ClaimNick = """
        local current = redis.call('GET', KEYS[1])
        if current and string.sub(current, 1, #ARGV[2]) ~= ARGV[2] then return 0 end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('SADD', KEYS[2], ARGV[3])
        return 1
        """;

    /// <summary>KEYS: nick key, node's nicks. ARGV: the owner's prefix (<c>member TAB</c>), lower-case nick. Frees the nick if the member holds it.</summary>
    public const string ReleaseNick = """
        local current = redis.call('GET', KEYS[1])
        if current and string.sub(current, 1, #ARGV[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
        redis.call('SREM', KEYS[2], ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: nodes. ARGV: node, incarnation, counter. Records the heartbeat; returns 1 if the node's
    /// previous heartbeat was this incarnation's, 0 if it had none (first beat, or the others declared it lost meanwhile).
    /// </summary>
    public const string Heartbeat = """
        local previous = redis.call('HGET', KEYS[1], ARGV[1])
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
        if previous and string.sub(previous, 1, #ARGV[2] + 1) == ARGV[2] .. ':' then return 1 end
        return 0
        """;

    /// <summary>
    /// KEYS: nodes. ARGV: key prefix, node, the heartbeat last seen (empty: clean up unconditionally,
    /// a node clearing its own previous runs), quit reason, retention, and the member id prefix of a
    /// run to keep (the current run of a node clearing its previous ones; empty: none). Unless the node beat again since,
    /// removes it: every member it had leaves every room with a quit entry, and its nicks are freed.
    /// Returns how many memberships ended, or -1 when the node is alive after all.
    /// </summary>
    public const string Reap = AppendFunction + """

        local mine = ARGV[2] .. '/'
        local prefix, node, seen, reason, retention, keep = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
        if seen ~= '' and redis.call('HGET', KEYS[1], node) ~= seen then return -1 end
        if keep == '' then redis.call('HDEL', KEYS[1], node) end
        local function gone(id)
          return string.sub(id, 1, #mine) == mine and (keep == '' or string.sub(id, 1, #keep) ~= keep)
        end
        local time = redis.call('TIME')
        local at = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local ended = 0
        local nodeRooms = prefix .. ':node:' .. node .. ':rooms'
        for _, room in ipairs(redis.call('SMEMBERS', nodeRooms)) do
          local base = prefix .. ':room:' .. room
          local members = base .. ':members'
          local flat = redis.call('HGETALL', members)
          for i = 1, #flat, 2 do
            if gone(flat[i]) then
              redis.call('HDEL', members, flat[i])
              redis.call('HDEL', base .. ':mod', 'o:' .. flat[i], 'v:' .. flat[i])
              local json = cjson.encode({ v = 1, k = 'quit', o = '', q = 0, m = flat[i], n = flat[i + 1], t = reason, at = at })
              local _, record = append(base .. ':log', base .. ':meta', json, retention, nil)
              redis.call('PUBLISH', base, record)
              ended = ended + 1
            end
          end
          if redis.call('HLEN', members) == 0 then
            redis.call('HDEL', prefix .. ':rooms', room)
            redis.call('DEL', base .. ':mod')
          end
        end
        if keep == '' then redis.call('DEL', nodeRooms) end
        local nicks = prefix .. ':node:' .. node .. ':nicks'
        for _, nick in ipairs(redis.call('SMEMBERS', nicks)) do
          local key = prefix .. ':nick:' .. nick
          local owner = redis.call('GET', key)
          if owner and gone(owner) then
            redis.call('DEL', key)
            redis.call('SREM', nicks, nick)
          elseif not owner then
            redis.call('SREM', nicks, nick)
          end
        end
        return ended
        """;
}
