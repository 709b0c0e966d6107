-- Readers posting quiz answers, or the write floor, for scripts/bench.py. Run with as many threads as
-- connections (-t16 -c16): each wrk thread then has one connection, and this script's state in that
-- thread is one browser's. It keeps a cookie jar (every Set-Cookie name=value the server sends, whatever
-- the name) and sends the csrftoken cookie back as X-CSRFToken, as the site's htmx does (Django accepts
-- the unmasked secret).
--
-- Quiz readers (the URL is the quiz intro; ids from scripts/quizclient.discover_quiz):
--   wrk -t16 -c16 -d10s -s scripts/wrk_quiz.lua http://127.0.0.1:8000/quizzes/<slug>/ \
--     -- quiz <question id>:<field>:<value>,<value>,... ...   (field: choice, or guess for a number guess)
--   GET the intro (the CSRF cookie), POST <intro>start/ (303), POST <intro>q/<n>/ for every question with
--   HX-Request and question=<id>&choice=<id> (200: recorded), then forget every cookie (a new reader) and
--   begin again. No pause between requests: wrk's delay() waits on a connection it has already
--   reopened (gunicorn's sync workers close every connection), and a sync worker that accepted it
--   waits for the request meanwhile, so paced readers would measure idle connections holding workers.
--
-- The write floor (scripts/bench_floor_app.py; the URL is its page):
--   wrk -t16 -c16 -d10s -s scripts/wrk_quiz.lua http://127.0.0.1:8000/floor/ -- floor <POST path>
--   GET the page once for the CSRF cookie, then POST question=1&choice=<n> again and again (200: written).
--
-- Prints one line, WRK_JSON {...}, like scripts/wrk_report.lua. wrk's latency percentiles (p50_us, p99_us)
-- cover every request of the mix (intro, start and answers); answer_p50_us and answer_p99_us are the
-- answers' (or floor writes') alone, timed here from building the request to its response (LuaJIT's ffi,
-- CLOCK_MONOTONIC; -1 without ffi).
--
-- A limit of wrk: response() gets the headers as a table keyed by name, so of several Set-Cookie headers
-- in one response only the last reaches this script. scripts/bench.py checks the quiz's responses for
-- that before it runs this.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- Read by done() through thread:get().
answers = 0      -- answers (floor writes) recorded: the step's expected status
bad_status = 0   -- responses outside 2xx and 3xx
unexpected = 0   -- a 2xx or 3xx other than the step's (e.g. 200 where the start should answer 303)
latencies = {}   -- microseconds per recorded answer
problem = ""     -- the first bad or unexpected response, for the error message

-- This thread's browser. The main Lua state, which wrk asks for one request before the threads start,
-- keeps these defaults (a GET of the URL).
local mode = "quiz"
local questions = {}
local write_path = nil
local cookies = {}
local step = "intro"   -- quiz: intro, start, answer; floor: page, write
local number = 1       -- the question being answered
local attempt = 0      -- attempts begun by this connection
local writes = 0
local sent_at = nil

local now_us = nil
do
  local ok, ffi = pcall(require, "ffi")
  if ok then
    ffi.cdef([[
      typedef struct { long tv_sec; long tv_nsec; } wrk_quiz_timespec;
      int clock_gettime(int clock_id, wrk_quiz_timespec *tp);
    ]])
    local ts = ffi.new("wrk_quiz_timespec")
    now_us = function()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
    end
  end
end

function init(args)
  mode = args[1] or "quiz"
  if mode == "quiz" then
    for i = 2, #args do
      local question, field, list = args[i]:match("^(%d+):(%a+):([%d,%-]+)$")
      if not question then
        error("wrk_quiz.lua: expected <question id>:<field>:<value>,..., got " .. args[i])
      end
      local choices = {}
      for choice in list:gmatch("%-?%d+") do
        choices[#choices + 1] = choice
      end
      questions[#questions + 1] = { id = question, field = field, choices = choices }
    end
    if #questions == 0 then
      error("wrk_quiz.lua: no questions (-- quiz <question id>:<choice ids> ...)")
    end
    step = "intro"
  elseif mode == "floor" then
    write_path = args[2] or error("wrk_quiz.lua: -- floor <POST path>")
    step = "page"
  else
    error("wrk_quiz.lua: the first argument after -- is quiz or floor, not " .. tostring(mode))
  end
end

local function forget()
  cookies = {}
  if mode == "floor" then
    step = "page"
  else
    step = "intro"
    number = 1
    attempt = attempt + 1
  end
end

local function store_cookies(headers)
  for name, value in pairs(headers) do
    if name:lower() == "set-cookie" then
      local cookie, content = value:match("^%s*([^=;%s]+)=([^;]*)")
      if cookie then
        local attributes = value:lower()
        if content == "" or attributes:find(";%s*max%-age=0%f[^%d]") then
          cookies[cookie] = nil
        else
          cookies[cookie] = content
        end
      end
    end
  end
end

local function build(method, path, body, htmx)
  local headers = { Host = wrk.headers["Host"] or wrk.host }
  local jar = {}
  for name, value in pairs(cookies) do
    jar[#jar + 1] = name .. "=" .. value
  end
  if #jar > 0 then
    headers["Cookie"] = table.concat(jar, "; ")
  end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-CSRFToken"] = cookies["csrftoken"] or ""
  end
  if htmx then
    headers["HX-Request"] = "true"
  end
  return wrk.format(method, path, headers, body)
end

function request()
  if now_us then
    sent_at = now_us()
  end
  if step == "intro" or step == "page" then
    return build("GET", wrk.path)
  elseif step == "start" then
    return build("POST", wrk.path .. "start/", "", false)
  elseif step == "write" then
    return build("POST", write_path, "question=1&choice=" .. ((id or 0) + writes) % 4, true)
  end
  local question = questions[number]
  local choice = question.choices[((id or 0) + number + attempt) % #question.choices + 1]
  return build(
    "POST", wrk.path .. "q/" .. number .. "/", "question=" .. question.id .. "&" .. question.field .. "=" .. choice, true
  )
end

function response(status, headers, body)
  local received_at = now_us and now_us()
  store_cookies(headers)
  local expected = (step == "start") and 303 or 200
  if status ~= expected then
    if status < 200 or status > 399 then
      bad_status = bad_status + 1
    else
      unexpected = unexpected + 1
    end
    if problem == "" then
      problem = step .. (step == "answer" and (" " .. number) or "") .. " answered " .. status
    end
    forget() -- begin again as a new reader
    return
  end
  if step == "intro" then
    step = "start"
  elseif step == "start" then
    step = "answer"
    number = 1
  elseif step == "page" then
    step = "write"
  else
    answers = answers + 1
    if received_at and sent_at then
      latencies[#latencies + 1] = received_at - sent_at
    end
    if step == "write" then
      writes = writes + 1
    else
      number = number + 1
      if number > #questions then
        forget()
      end
    end
  end
end

local function percentile(values, pct)
  if #values == 0 then
    return -1
  end
  return values[math.max(1, math.ceil(pct / 100 * #values))]
end

done = function(summary, latency, requests)
  local total_answers, total_bad, total_unexpected, first_problem = 0, 0, 0, ""
  local all = {}
  for _, thread in ipairs(threads) do
    total_answers = total_answers + thread:get("answers")
    total_bad = total_bad + thread:get("bad_status")
    total_unexpected = total_unexpected + thread:get("unexpected")
    if first_problem == "" then
      first_problem = thread:get("problem") or ""
    end
    for _, value in ipairs(thread:get("latencies") or {}) do
      all[#all + 1] = value
    end
  end
  table.sort(all)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"answers": %d, "bad_status": %d, "unexpected": %d, "answer_p50_us": %d, "answer_p99_us": %d, ' ..
    '"problem": "%s"}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    total_answers, total_bad, total_unexpected, percentile(all, 50), percentile(all, 99),
    (first_problem:gsub('[^%w%s:/_.-]', '?'))))
end
