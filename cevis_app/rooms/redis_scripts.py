"""The Redis room store's writes as Lua scripts: each atomic, each seeing whether the room exists.

KEYS (room_keys in redis_store.py): 1 the room hash (version, state, question, qid,
asked, revealed, link), 2 the seats set, 3 the answers hash (seat -> JSON answer),
4 the open rooms zset (code -> expiry ms), 5 the teachers set (credential digests),
6 the heartbeats zset (seat -> ms), 7 the seats-per-address hash.
ARGV[1] = the room's time to live in ms, ARGV[2] = the code.

Only a teacher's action extends a room's life (`touch`); a key a student's write
creates takes the room's remaining life (`follow`), so no student can hold a room open.
Each script returns a negative number for a refusal (see REFUSALS) before it writes.
"""

PRELUDE = """
local ttl = tonumber(ARGV[1])
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function touch()
  for i = 1, 7 do if i ~= 4 then redis.call('PEXPIRE', KEYS[i], ttl) end end
  redis.call('ZADD', KEYS[4], 'XX', now_ms() + ttl, ARGV[2])
end
local function follow()
  local left = redis.call('PTTL', KEYS[1])
  if left > 0 then for i = 2, 7 do if i ~= 4 then redis.call('PEXPIRE', KEYS[i], left) end end end
end
local function teacher(digest)
  if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
  if redis.call('SISMEMBER', KEYS[5], digest) == 0 then return -8 end
  return 1
end
"""
# ARGV[3] max rooms, ARGV[4] the secret's digest, ARGV[5] the device's digest or ''
CREATE = PRELUDE + """
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[3]) then return -2 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'version', 0, 'state', '{}', 'asked', 0, 'revealed', 0, 'link', '')
redis.call('SADD', KEYS[5], ARGV[4])
if ARGV[5] ~= '' then redis.call('SADD', KEYS[5], ARGV[5]) end
redis.call('ZADD', KEYS[4], now + ttl, ARGV[2])
touch()
return 1
"""
# ARGV[3] the teacher's digest, ARGV[4] the new link's digest
LINK = PRELUDE + """
local ok = teacher(ARGV[3]) if ok < 0 then return ok end
redis.call('HSET', KEYS[1], 'link', ARGV[4])
touch()
return 1
"""
# ARGV[3] the link's digest, ARGV[4] the device's digest, ARGV[5] max teachers
CLAIM = PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local link = redis.call('HGET', KEYS[1], 'link')
if not link or link == '' or link ~= ARGV[3] then return -9 end
redis.call('HSET', KEYS[1], 'link', '')
if redis.call('SCARD', KEYS[5]) >= tonumber(ARGV[5]) then return -11 end
redis.call('SADD', KEYS[5], ARGV[4])
touch()
return 1
"""
# ARGV[3] max seats, ARGV[4] the seat, ARGV[5] the address key, ARGV[6] seats per address
JOIN = PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SISMEMBER', KEYS[2], ARGV[4]) == 0 then
  if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[3]) then return -3 end
  if tonumber(redis.call('HGET', KEYS[7], ARGV[5]) or '0') >= tonumber(ARGV[6]) then return -10 end
  redis.call('HINCRBY', KEYS[7], ARGV[5], 1)
  redis.call('SADD', KEYS[2], ARGV[4])
end
redis.call('ZADD', KEYS[6], now_ms(), ARGV[4])
follow()
return 1
"""
# ARGV[3] the seat
HEARTBEAT = PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 1 then
  redis.call('ZADD', KEYS[6], now_ms(), ARGV[3])
  follow()
end
return 1
"""
# ARGV[3] the teacher's digest, ARGV[4] the state JSON
PUBLISH = PRELUDE + """
local ok = teacher(ARGV[3]) if ok < 0 then return ok end
redis.call('HSET', KEYS[1], 'state', ARGV[4])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
touch()
return version
"""
# ARGV[3] the teacher's digest, ARGV[4] the question JSON
ASK = PRELUDE + """
local ok = teacher(ARGV[3]) if ok < 0 then return ok end
local qid = 'q' .. redis.call('HINCRBY', KEYS[1], 'asked', 1)
redis.call('HSET', KEYS[1], 'question', ARGV[4], 'qid', qid, 'revealed', 0)
redis.call('DEL', KEYS[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
touch()
return qid
"""
# ARGV[3] the seat, ARGV[4] the question id, ARGV[5] the answer JSON
ANSWER = PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 0 then return -4 end
if redis.call('HGET', KEYS[1], 'qid') ~= ARGV[4] then return -5 end
if redis.call('HGET', KEYS[1], 'revealed') == '1' then return -6 end
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
redis.call('ZADD', KEYS[6], now_ms(), ARGV[3])
follow()
return 1
"""
# ARGV[3] the teacher's digest
REVEAL = PRELUDE + """
local ok = teacher(ARGV[3]) if ok < 0 then return ok end
if not redis.call('HGET', KEYS[1], 'qid') then return -7 end
local changed = 2
if redis.call('HGET', KEYS[1], 'revealed') ~= '1' then
  redis.call('HSET', KEYS[1], 'revealed', 1)
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  changed = 1
end
touch()
return changed
"""
# ARGV[3] the teacher's digest
TOUCH = PRELUDE + """
local ok = teacher(ARGV[3]) if ok < 0 then return ok end
touch()
return 1
"""
# ARGV[3] the teacher's digest, ARGV[4] the tombstone key, ARGV[5] its life in ms
END = PRELUDE + """
local ok = teacher(ARGV[3]) if ok < 0 then return ok end
for i = 1, 7 do if i ~= 4 then redis.call('DEL', KEYS[i]) end end
redis.call('ZREM', KEYS[4], ARGV[2])
redis.call('SET', ARGV[4], '1', 'PX', ARGV[5])
return 1
"""
# KEYS[1] a counter; ARGV[1] window ms, ARGV[2] limit; returns 1 if over the limit after counting
HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n > tonumber(ARGV[2]) then return 1 end
return 0
"""
SCRIPTS = {"create": CREATE, "link": LINK, "claim": CLAIM, "join": JOIN, "heartbeat": HEARTBEAT,
           "publish": PUBLISH, "ask": ASK, "answer": ANSWER, "reveal": REVEAL, "touch": TOUCH,
           "end": END}
REFUSALS = {  # script result -> message (-1, no room, names the code: see RedisStore._run)
    -2: "Too many rooms are open on this server; try again later.",
    -3: "This room is full ({max_students} students).",
    -4: "Join the room before answering.",
    -5: "That question is no longer open.",
    -6: "The answer has been revealed: answers are closed.",
    -7: "There is no question to reveal: ask one first.",
    -8: "Only the teacher who opened this room can do that.",
    -9: "This teacher link has been used or replaced: ask for a new one on the device that runs "
        "the room.",
    -10: "Too many students joined this room from one network.",
    -11: "This room has as many teacher devices as it may have.",
}
