-- wrk on the benchmark's jobs: each request takes the next path of the file named by
-- WRK_PATHS, in order and round again, with the headers the clients send. At the end it
-- prints one JSON line that `bench/run.py` reads.

wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_API_KEY")
wrk.headers["Version"] = "2021-07-28"

local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
    paths[#paths + 1] = line
end
local next_path = 0

function request()
    next_path = next_path % #paths + 1
    return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
    local errors = summary.errors
    local failed = errors.connect + errors.read + errors.write + errors.status + errors.timeout
    io.write(string.format('{"requests": %d, "duration_us": %d, "errors": %d}\n',
        summary.requests, summary.duration, failed))
end
