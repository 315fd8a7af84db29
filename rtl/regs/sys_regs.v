// The system, link and audio registers of regs/regmap.def (page 0x0000-0x003F), kept in one
// block RAM rather than flip-flops: constants, rw read-back, the seven link counters, the uptime
// and the audio settings all live there, so a read is a RAM read and there is no read
// multiplexer. A small engine owns the RAM between bus requests: it sweeps the reset values in
// after reset (and into the counters on LINK_CLEAR), and increments the counters and the uptime
// by read-modify-write. What hardware needs every cycle (mute; the audio settings: source,
// routing, polarity, topology, slot width, the tone's step and level, the oversampling) is also
// kept in flip-flops, written with the RAM; STATUS and AUDIO_STATUS are live bits over their RAM
// words (which stay zero). One target for both pages: one judge, one RAM, one answer.
// Address, value and storage rules come from the generated rm_* functions of regmap.vh; the
// write and read-back masks through a second block RAM built from them (read while a request is
// judged), so no check decodes the address in logic.
`default_nettype none
`include "regmap_defs.vh"

module sys_regs #(
    parameter integer SYS_CLK_HZ = `BAL_SYSCLK_EXACT_HZ,
    parameter [31:0]  BUILD_HASH = 32'h0,
    parameter integer CLK_EXACT  = 1
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        ms_tick,
    // register bus target (docs/buses.md)
    input  wire        req,
    input  wire [1:0]  op,
    input  wire [5:0]  addr,
    input  wire [31:0] wdata,
    output reg         ack,
    output reg  [1:0]  resp,
    output wire [31:0] rdata,
    // status
    input  wire        pll_lock,
    input  wire        dsp_ready,
    // link events, one-cycle strobes, in the order of LINK_FRAMES .. LINK_DUPLICATES
    input  wire [NCNT-1:0] ev,
    // control
    output reg         ctrl_mute,
    output reg         soft_reset,
    // audio settings
    output reg  [1:0]  source,
    output reg  [2:0]  route_mode,
    output reg         invert_l,
    output reg         invert_r,
    output reg  [1:0]  topology,
    output reg         slot24,
    output reg  [1:0]  out_word,
    output reg         dither,
    // the RAM's write port, for the datapath's mirrors (the gains' settings)
    output wire        mirror_we,
    output wire [5:0]  mirror_addr,
    output wire [15:0] mirror_data,
    output reg  [31:0] tone_inc,
    output reg  [7:0]  tone_atten,
    output reg  [1:0]  ratio,
    output reg         nos,
    // audio status
    input  wire [2:0]  in_rate,
    input  wire        in_locked,
    input  wire [1:0]  in_slot,
    input  wire [2:0]  out_rate,
    input  wire [1:0]  out_ratio,
    input  wire        filter_ready,
    input  wire [2:0]  silence
);
    `include "regmap.vh"
    `include "bus.vh"

    localparam integer NCNT = 7;
    localparam integer WORDS = 64;
    localparam [5:0] CNT_BASE = REG_LINK_FRAMES[5:0];
    localparam [5:0] CNT_LAST = CNT_BASE + NCNT[5:0] - 6'd1;
    // events 1..5 (CRC, frame, UART, overrun, timeout) are errors: STATUS.LINK_ERR
    localparam [NCNT-1:0] ERR_EVENTS = 7'b0111110;

    initial if (REG_LINK_DUPLICATES[5:0] != CNT_LAST) $error("link counters must be contiguous");
    initial if (REG_AUDIO_STATUS[15:6] != 10'd0) $error("sys_regs holds the words 0x0000-0x003F");
    // the reset sweep writes every word's reset value from UPTIME up (the constants below it
    // come from configuration); LINK_CLEAR the counters': zero
    localparam [5:0] SWEEP_FIRST = REG_UPTIME[5:0];
    integer c;
    initial for (c = {26'd0, CNT_BASE}; c <= {26'd0, CNT_LAST}; c = c + 1)
        if (rm_reset(c[7:0]) != 32'd0) $error("the link counters must reset to 0");
    initial if (REG_BUILD[5:0] >= SWEEP_FIRST || REG_SYSCLK[5:0] >= SWEEP_FIRST)
        $error("BUILD and SYSCLK must lie below the sweep");

    (* no_rw_check *) reg [31:0] mem [0:WORDS-1];
    // contents at configuration: every register's reset value (the bitstream carries them)
    integer i;
    initial for (i = 0; i < WORDS; i = i + 1)
        mem[i] = reset_value(i[5:0]);
    reg  [5:0]  raddr;
    reg  [31:0] rq;      // RAM output, registered
    reg         we;
    reg  [5:0]  waddr;
    reg  [31:0] wd;
    assign mirror_we   = we;
    assign mirror_addr = waddr;
    assign mirror_data = wd[15:0];
    always @(posedge clk) begin
        rq <= mem[raddr];
        if (we)
            mem[waddr] <= wd;
    end

    // the map's write and read-back masks of the page, in a block RAM rather than logic: word
    // {a, h} is wmask's (h = 0, 1) or rmask's (h = 2, 3) 16-bit half of register a's, low first.
    // A bus request reads its four while it is judged (E_MASK); the checks then stand on a
    // RAM's word, not on a decode of the address
    reg [15:0] mask_rom [0:4 * WORDS - 1];
    integer m;
    initial for (m = 0; m < 4 * WORDS; m = m + 1)
        mask_rom[m] = mask_half(m[7:2], m[1:0]);
    function automatic [15:0] mask_half(input [5:0] a, input [1:0] h);
        reg [31:0] mask;
        begin
            mask = h[1] ? rm_rmask({2'd0, a}) : rm_wmask({2'd0, a});
            mask_half = h[0] ? mask[31:16] : mask[15:0];
        end
    endfunction
    reg  [1:0]  mask_h;  // the half being read
    reg  [15:0] mask_q;
    always @(posedge clk)
        mask_q <= mask_rom[{a_q, mask_h}];
    // the bits of a half of wdata outside the fields, in groups of four (its wmask's half)
    wire [15:0] w_half = mask_h == 2'd2 ? wdata[31:16] : wdata[15:0];
    wire [15:0] w_stray = w_half & ~mask_q;
    wire [3:0]  stray_half = {|w_stray[15:12], |w_stray[11:8], |w_stray[7:4], |w_stray[3:0]};

    // the value a register takes after reset: the map's, or what this build is
    function automatic [31:0] reset_value(input [5:0] a);
        reset_value = a == REG_BUILD[5:0]  ? BUILD_HASH :
                      a == REG_SYSCLK[5:0] ? SYS_CLK_HZ : rm_reset({2'd0, a});
    endfunction

    // ---- engine state
    localparam [3:0] E_IDLE  = 4'd0,
                     E_SWEEP = 4'd1,  // writes reset values (all; the counters' on LINK_CLEAR)
                     E_INC_R = 4'd2,  // counter or uptime: read
                     E_INC_C = 4'd3,  // add one to the low half; its carry
                     E_INC_H = 4'd4,  // the carry into the high half (uptime only)
                     E_INC_W = 4'd5,  // write back
                     E_BUS   = 4'd6,  // a bus request: its RAM read or write, and the judgement
                     E_ACK   = 4'd7,  // the answer; CTRL acts
                     E_CLEAR = 4'd8,  // LINK_CLEAR: set up the counter sweep
                     E_JUDGE = 4'd9,  // the answer from the registered checks; a write
                     E_MASK  = 4'd10; // the masks' four halves, as they come: stray, wd
    reg            readable, writable, code_ok;
    reg  [7:0]     stray;     // of the bus request, registered first; stray: bits outside
                              // the fields, in groups of four (judged a cycle later)
    reg [3:0]      estate;
    reg [5:0]      sweep_a, sweep_left;  // next address written, and how many after it
    reg            sweep_wr;             // the sweep's write cycle (else its lookup cycle)
    reg [31:0]     sweep_word;           // sweep_a's reset value
    reg            sweep_last;           // sweep_left is zero
    always @(posedge clk) begin
        sweep_word <= rm_reset({2'd0, sweep_a});
        sweep_last <= sweep_left == 6'd0;
    end
    reg            ctrl_wr, clear_wr;  // this bus request writes CTRL; clears the counters
    reg [1:0]      wbits;              // CTRL.SOFT_RESET and CTRL.MUTE as written
    reg [NCNT-1:0] pending;         // counter events not yet counted
    reg            uptime_due;
    reg [5:0]      inc_a;
    reg            inc_uptime;
    reg            bus_pending;
    reg [5:0]      a_q;
    reg [1:0]      op_q;
    reg            link_err, status_sel, audio_status_sel;
    // a write of a register the datapath reads: which one, decoded the cycle before it acts
    reg            wr_source, wr_route, wr_topology, wr_format, wr_freq, wr_level, wr_oversample;

    // the lowest pending counter, registered (E_IDLE acts on it; a counter just taken is
    // never seen again there, E_IDLE being at least three cycles away)
    reg [5:0]      next_cnt;
    reg [NCNT-1:0] next_bit;  // its bit in pending
    reg            any_pending;
    integer k;
    wire [NCNT-1:0] lowest = pending & (~pending + {{(NCNT - 1){1'b0}}, 1'b1});  // one-hot
    always @(posedge clk) begin
        next_bit    <= lowest;
        any_pending <= pending != {NCNT{1'b0}};
        next_cnt    <= CNT_BASE;
        for (k = NCNT - 1; k >= 0; k = k - 1)
            if (pending[k])
                next_cnt <= CNT_BASE + k[5:0];
    end

    // the low half's add into a register straight off the RAM, its carry and the high half
    // beside it; the high half's add from them: no chain runs from the RAM into a decision
    reg         carry;
    reg  [15:0] lo_q, hi_q;
    wire [15:0] inc_hi = hi_q + {15'd0, carry};

    always @(posedge clk) begin
        we         <= 1'b0;
        ack        <= 1'b0;
        soft_reset <= 1'b0;
        if (req) begin
            bus_pending <= 1'b1;
            a_q         <= addr;  // a copy beside the RAM: the master's register is far away
            op_q        <= op;
        end
        pending <= pending | ev;
        if (ms_tick)
            uptime_due <= 1'b1;
        if ((ev & ERR_EVENTS) != {NCNT{1'b0}})
            link_err <= 1'b1;
        if (rst) begin
            // after reset: every word's reset value from UPTIME to the last; during it, CTRL's
            // reset value, again and again. Constants come from configuration.
            estate      <= E_SWEEP;
            sweep_wr    <= 1'b0;
            sweep_a     <= SWEEP_FIRST;
            sweep_left  <= 6'd63 - SWEEP_FIRST;
            we          <= 1'b1;
            waddr       <= REG_CTRL[5:0];
            wd          <= REG_CTRL_RESET & rm_rmask(REG_CTRL[7:0]);
            pending     <= {NCNT{1'b0}};
            uptime_due  <= 1'b0;
            bus_pending <= 1'b0;
            link_err    <= 1'b0;
            ctrl_wr     <= 1'b0;
            clear_wr    <= 1'b0;
            ctrl_mute   <= REG_CTRL_RESET[F_CTRL_MUTE];
            wr_source   <= 1'b0;
            wr_route    <= 1'b0;
            wr_topology <= 1'b0;
            wr_format   <= 1'b0;
            wr_freq     <= 1'b0;
            wr_level    <= 1'b0;
            wr_oversample <= 1'b0;
            ratio       <= REG_OVERSAMPLE_RESET[F_OVERSAMPLE_RATIO +: 2];
            nos         <= REG_OVERSAMPLE_RESET[F_OVERSAMPLE_NOS];
            tone_inc    <= REG_TONE_FREQ_RESET;
            tone_atten  <= REG_TONE_LEVEL_RESET[F_TONE_LEVEL_ATTEN +: 8];
            source      <= REG_AUDIO_SOURCE_RESET[F_AUDIO_SOURCE_SOURCE +: 2];
            route_mode  <= REG_ROUTE_RESET[F_ROUTE_MODE +: 3];
            invert_l    <= REG_ROUTE_RESET[F_ROUTE_INVERT_LEFT];
            invert_r    <= REG_ROUTE_RESET[F_ROUTE_INVERT_RIGHT];
            topology    <= REG_TOPOLOGY_RESET[F_TOPOLOGY_MODE +: 2];
            slot24      <= REG_OUT_FORMAT_RESET[F_OUT_FORMAT_SLOT];
            out_word    <= REG_OUT_FORMAT_RESET[F_OUT_FORMAT_WORD +: 2];
            dither      <= REG_OUT_FORMAT_RESET[F_OUT_FORMAT_DITHER];
        end else begin
            case (estate)
                E_SWEEP: begin
                    // a word every second cycle: its reset value is looked up into a register
                    // first (sweep_word), then written
                    sweep_wr <= !sweep_wr;
                    if (sweep_wr) begin
                        we         <= 1'b1;
                        waddr      <= sweep_a;
                        wd         <= sweep_word;
                        sweep_a    <= sweep_a + 6'd1;
                        sweep_left <= sweep_left - 6'd1;
                        if (sweep_last)
                            estate <= E_IDLE;
                    end
                end
                E_IDLE: begin
                    // counters first: they must not miss events while the bus is busy
                    if (any_pending) begin
                        raddr      <= next_cnt;
                        inc_a      <= next_cnt;
                        inc_uptime <= 1'b0;
                        pending    <= (pending | ev) & ~next_bit;
                        estate     <= E_INC_R;
                    end else if (uptime_due) begin
                        raddr      <= REG_UPTIME[5:0];
                        inc_a      <= REG_UPTIME[5:0];
                        inc_uptime <= 1'b1;
                        uptime_due <= ms_tick;
                        estate     <= E_INC_R;
                    end else if (bus_pending) begin
                        raddr       <= a_q;
                        mask_h      <= 2'd0;
                        bus_pending <= 1'b0;
                        estate      <= E_BUS;
                    end
                end
                E_INC_R: estate <= E_INC_C;
                E_INC_C: begin
                    carry    <= &rq[15:0];  // registered: it steers the next cycle's words
                    lo_q     <= rq[15:0] + 16'd1;
                    hi_q     <= rq[31:16];
                    waddr    <= inc_a;
                    estate   <= E_INC_H;
                end
                E_INC_H: begin
                    // counters saturate at 0xFFFF; the uptime wraps its low half into the high
                    wd[15:0]  <= !inc_uptime && carry ? 16'hFFFF : lo_q;
                    wd[31:16] <= inc_uptime ? inc_hi : 16'd0;
                    estate    <= E_INC_W;
                end
                E_INC_W: begin
                    we     <= 1'b1;
                    estate <= E_IDLE;
                end
                E_BUS: begin
                    // the RAM read of addr is under way; the checks, registered
                    status_sel <= a_q == REG_STATUS[5:0];
                    audio_status_sel <= a_q == REG_AUDIO_STATUS[5:0];
                    readable   <= rm_readable({2'd0, a_q});
                    writable   <= rm_writable({2'd0, a_q});
                    code_ok    <= rm_code_ok({2'd0, a_q}, wdata);
                    // strobes, mute and the settings act later, from registered judgements
                    ctrl_wr  <= op_q == BUS_WRITE && a_q == REG_CTRL[5:0];
                    clear_wr <= op_q == BUS_WRITE && a_q == REG_LINK_CLEAR[5:0] &&
                                wdata[F_LINK_CLEAR_ALL];
                    wr_source     <= op_q == BUS_WRITE && a_q == REG_AUDIO_SOURCE[5:0];
                    wr_route      <= op_q == BUS_WRITE && a_q == REG_ROUTE[5:0];
                    wr_topology   <= op_q == BUS_WRITE && a_q == REG_TOPOLOGY[5:0];
                    wr_format     <= op_q == BUS_WRITE && a_q == REG_OUT_FORMAT[5:0];
                    wr_freq       <= op_q == BUS_WRITE && a_q == REG_TONE_FREQ[5:0];
                    wr_level      <= op_q == BUS_WRITE && a_q == REG_TONE_LEVEL[5:0];
                    wr_oversample <= op_q == BUS_WRITE && a_q == REG_OVERSAMPLE[5:0];
                    wbits    <= {wdata[F_CTRL_SOFT_RESET], wdata[F_CTRL_MUTE]};
                    mask_h   <= 2'd1;  // half 0 is out of the RAM now
                    estate   <= E_MASK;
                end
                E_MASK: begin
                    // the half read the cycle before: wmask low, high, rmask low, high
                    mask_h <= mask_h + 2'd1;
                    case (mask_h)
                        2'd1: stray[3:0] <= stray_half;
                        2'd2: stray[7:4] <= stray_half;
                        2'd3: wd[15:0]   <= wdata[15:0] & mask_q;
                        default: begin
                            wd[31:16] <= wdata[31:16] & mask_q;
                            estate    <= E_JUDGE;
                        end
                    endcase
                end
                E_JUDGE: begin
                    case (op_q)
                        BUS_READ, BUS_CHECK_RD:
                            resp <= readable ? BUS_OK : BUS_BAD_ADDR;
                        BUS_CHECK_WR:
                            resp <= !writable ? BUS_BAD_ADDR : !(code_ok && stray == 8'd0) ? BUS_BAD_VALUE : BUS_OK;
                        default: begin
                            resp  <= BUS_OK;
                            we    <= 1'b1;
                            waddr <= a_q;
                        end
                    endcase
                    estate <= E_ACK;
                end
                E_ACK: begin
                    ack <= 1'b1;
                    if (ctrl_wr) begin
                        ctrl_mute  <= wbits[0];
                        soft_reset <= wbits[1];
                    end
                    if (wr_source)
                        source <= wdata[F_AUDIO_SOURCE_SOURCE +: 2];
                    if (wr_route) begin
                        route_mode <= wdata[F_ROUTE_MODE +: 3];
                        invert_l   <= wdata[F_ROUTE_INVERT_LEFT];
                        invert_r   <= wdata[F_ROUTE_INVERT_RIGHT];
                    end
                    if (wr_topology)
                        topology <= wdata[F_TOPOLOGY_MODE +: 2];
                    if (wr_format) begin
                        slot24   <= wdata[F_OUT_FORMAT_SLOT];
                        out_word <= wdata[F_OUT_FORMAT_WORD +: 2];
                        dither   <= wdata[F_OUT_FORMAT_DITHER];
                    end
                    if (wr_freq)
                        tone_inc <= wdata;
                    if (wr_level)
                        tone_atten <= wdata[F_TONE_LEVEL_ATTEN +: 8];
                    if (wr_oversample) begin
                        ratio <= wdata[F_OVERSAMPLE_RATIO +: 2];
                        nos   <= wdata[F_OVERSAMPLE_NOS];
                    end
                    estate <= clear_wr ? E_CLEAR : E_IDLE;
                end
                E_CLEAR: begin
                    // zeros into the counters, now
                    link_err   <= 1'b0;
                    pending    <= ev;  // what came before the clear is cleared with it
                    sweep_a    <= CNT_BASE;  // their reset value is zero
                    sweep_left <= NCNT[5:0] - 6'd1;
                    sweep_wr   <= 1'b0;
                    estate     <= E_SWEEP;
                end
                default: estate <= E_IDLE;
            endcase
        end
    end

    // STATUS: live bits over the RAM word (which holds its reset value, zero)
    wire [31:0] status_bits = ({31'd0, link_err} << F_STATUS_LINK_ERR) |
                              ({31'd0, dsp_ready} << F_STATUS_DSP_READY) |
                              ({31'd0, CLK_EXACT != 0} << F_STATUS_CLK_EXACT) |
                              ({31'd0, pll_lock} << F_STATUS_PLL_LOCK);
    // AUDIO_STATUS likewise
    wire [31:0] audio_status_bits = ({29'd0, silence} << F_AUDIO_STATUS_SILENCE) |
                                    ({31'd0, filter_ready} << F_AUDIO_STATUS_FILTER_READY) |
                                    ({30'd0, out_ratio} << F_AUDIO_STATUS_OUT_RATIO) |
                                    ({29'd0, out_rate}  << F_AUDIO_STATUS_OUT_RATE) |
                                    ({30'd0, in_slot}   << F_AUDIO_STATUS_SLOT_IN) |
                                    ({31'd0, in_locked} << F_AUDIO_STATUS_LOCKED) |
                                    ({29'd0, in_rate}   << F_AUDIO_STATUS_RATE);
    assign rdata = rq | ({32{status_sel}} & status_bits) | ({32{audio_status_sel}} & audio_status_bits);
endmodule
