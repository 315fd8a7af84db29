// Register file: the registers of regs/regmap.def that live in the control plane, the link
// counters and the scratch RAM. Judges every address and value before the executor writes.
`default_nettype none

module regfile #(
    parameter integer SYS_CLK_HZ = 49152000,
    parameter [31:0]  BUILD_HASH = 32'h0,
    parameter integer CLK_EXACT  = 1
) (
    input  wire        clk,
    input  wire        rst,
    // register bus (see link_exec): rd_ok/wr_ok and the read data are valid two cycles after
    // the address; value_ok one cycle after the data, which follows the address by a cycle
    input  wire [15:0] bus_addr,
    input  wire [31:0] bus_wdata,
    input  wire        bus_we,
    output wire [31:0] bus_rdata,
    output reg         bus_rd_ok,
    output reg         bus_wr_ok,
    output reg         bus_value_ok,
    // status
    input  wire        pll_lock,
    input  wire        dsp_ready,
    // link events
    input  wire        ev_frame_ok,
    input  wire        ev_crc_err,
    input  wire        ev_frame_err,
    input  wire        ev_uart_err,
    input  wire        ev_overrun,
    input  wire        ev_timeout,
    input  wire        ev_duplicate,
    // control
    output reg         ctrl_mute,
    output reg         soft_reset
);
    `include "regmap.vh"

    localparam integer MS_DIV = SYS_CLK_HZ / 1000;
    localparam integer MS_W   = $clog2(MS_DIV);
    localparam [31:0] MS_LAST32 = MS_DIV - 1;
    localparam [MS_W-1:0] MS_LAST = MS_LAST32[MS_W-1:0];

    // ---- decode, pipelined: stage 1 turns the address into one-hot selects, stage 2 ORs them
    // into the judgements. rd_ok/wr_ok/wmask are valid two cycles after bus_addr.
    localparam [31:0] SCRATCH_PAGE32 = {16'd0, BLK_SCRATCH_RAM_BASE} >> 8;
    localparam [7:0]  SCRATCH_PAGE   = SCRATCH_PAGE32[7:0];

    // stage 1: one-hot, from the address (readable registers: rsel, below)
    reg       d_ram, d_ctrl, d_scratch, d_clear;
    reg [7:0] d_idx;
    always @(posedge clk) begin
        d_ram     <= bus_addr[15:8] == SCRATCH_PAGE;
        d_idx     <= bus_addr[7:0];
        d_ctrl    <= bus_addr == REG_CTRL;
        d_scratch <= bus_addr == REG_SCRATCH;
        d_clear   <= bus_addr == REG_LINK_CLEAR;
    end

    // stage 2: judgements, ORs of the one-hot lines
    reg [31:0] wmask;
    always @(posedge clk) begin
        bus_rd_ok <= d_ram || (rsel != {NSRC{1'b0}});
        bus_wr_ok <= d_ram || d_ctrl || d_scratch || d_clear;
        wmask     <= ({32{d_ram}}     & 32'hFFFF_FFFF)     | ({32{d_ctrl}}  & REG_CTRL_WMASK) |
                     ({32{d_scratch}} & REG_SCRATCH_WMASK) | ({32{d_clear}} & REG_LINK_CLEAR_WMASK);
    end

    // valid one cycle after bus_wdata, when the address came at least two cycles before it
    always @(posedge clk)
        bus_value_ok <= (bus_wdata & ~wmask) == 32'h0;

    // Writes land one cycle after the strobe, decoded from stage 1.
    reg        w_en;
    reg [31:0] w_data;
    always @(posedge clk) begin
        w_en   <= bus_we && !rst;
        w_data <= bus_wdata;
    end
    wire w_ram   = w_en && d_ram;
    reg  clear_link;
    always @(posedge clk)
        clear_link <= w_en && d_clear && w_data[F_LINK_CLEAR_ALL];

    // ---- registers
    reg [31:0] scratch;
    reg [31:0] uptime_ms;
    reg [MS_W-1:0] ms_prescale;

    always @(posedge clk) begin
        soft_reset <= 1'b0;
        if (rst) begin
            ctrl_mute   <= REG_CTRL_RESET[F_CTRL_MUTE];
            scratch     <= REG_SCRATCH_RESET;
            uptime_ms   <= 32'd0;
            ms_prescale <= {MS_W{1'b0}};
        end else begin
            if (ms_prescale == MS_LAST) begin
                ms_prescale <= {MS_W{1'b0}};
                uptime_ms   <= uptime_ms + 32'd1;
            end else begin
                ms_prescale <= ms_prescale + 1'b1;
            end
            if (w_en && d_ctrl) begin
                ctrl_mute  <= w_data[F_CTRL_MUTE];
                soft_reset <= w_data[F_CTRL_SOFT_RESET];
            end
            if (w_en && d_scratch)
                scratch <= w_data;
        end
    end

    // ---- link counters
    wire [15:0] n_frames, n_crc, n_frame_err, n_uart, n_overrun, n_timeout, n_dup;
    sat_counter c_frames  (.clk(clk), .clear(rst || clear_link), .inc(ev_frame_ok),  .count(n_frames));
    sat_counter c_crc     (.clk(clk), .clear(rst || clear_link), .inc(ev_crc_err),   .count(n_crc));
    sat_counter c_ferr    (.clk(clk), .clear(rst || clear_link), .inc(ev_frame_err), .count(n_frame_err));
    sat_counter c_uart    (.clk(clk), .clear(rst || clear_link), .inc(ev_uart_err),  .count(n_uart));
    sat_counter c_overrun (.clk(clk), .clear(rst || clear_link), .inc(ev_overrun),   .count(n_overrun));
    sat_counter c_timeout (.clk(clk), .clear(rst || clear_link), .inc(ev_timeout),   .count(n_timeout));
    sat_counter c_dup     (.clk(clk), .clear(rst || clear_link), .inc(ev_duplicate), .count(n_dup));

    // ---- scratch RAM (block RAM; registered read)
    reg [31:0] scratch_ram [0:BLK_SCRATCH_RAM_SIZE-1];
    reg [31:0] ram_q;
    localparam integer RAM_AW = $clog2(BLK_SCRATCH_RAM_SIZE);
    always @(posedge clk) begin
        if (w_ram)
            scratch_ram[d_idx[RAM_AW-1:0]] <= w_data;
        ram_q <= scratch_ram[bus_addr[RAM_AW-1:0]];
    end

    // ---- read mux: the data is valid two cycles after the address. Stage 1 turns the address
    // into one select line per source, stage 2 is an AND-OR of the sources (no decoding left).
    // Reads have no side effects, so there is no read strobe.
    localparam integer NSRC = 17;
    reg  [NSRC-1:0] rsel;
    wire [15:0]     src_addr [0:NSRC-1];
    wire [31:0]     src_val  [0:NSRC-1];
    assign src_addr[0]  = REG_ID;                assign src_val[0]  = REG_ID_RESET;
    assign src_addr[1]  = REG_VERSION;           assign src_val[1]  = REG_VERSION_RESET;
    assign src_addr[2]  = REG_BUILD;             assign src_val[2]  = BUILD_HASH;
    assign src_addr[3]  = REG_SYSCLK;            assign src_val[3]  = SYS_CLK_HZ;
    assign src_addr[4]  = REG_CAPS;              assign src_val[4]  = REG_CAPS_RESET;
    assign src_addr[5]  = REG_CTRL;              assign src_val[5]  = {31'd0, ctrl_mute} << F_CTRL_MUTE;
    assign src_addr[6]  = REG_STATUS;            assign src_val[6]  = status_word;
    assign src_addr[7]  = REG_UPTIME;            assign src_val[7]  = uptime_ms;
    assign src_addr[8]  = REG_SCRATCH;           assign src_val[8]  = scratch;
    assign src_addr[9]  = REG_LINK_FRAMES;       assign src_val[9]  = {16'd0, n_frames};
    assign src_addr[10] = REG_LINK_CRC_ERRORS;   assign src_val[10] = {16'd0, n_crc};
    assign src_addr[11] = REG_LINK_FRAME_ERRORS; assign src_val[11] = {16'd0, n_frame_err};
    assign src_addr[12] = REG_LINK_UART_ERRORS;  assign src_val[12] = {16'd0, n_uart};
    assign src_addr[13] = REG_LINK_OVERRUNS;     assign src_val[13] = {16'd0, n_overrun};
    assign src_addr[14] = REG_LINK_TIMEOUTS;     assign src_val[14] = {16'd0, n_timeout};
    assign src_addr[15] = REG_LINK_DUPLICATES;   assign src_val[15] = {16'd0, n_dup};
    assign src_addr[16] = REG_LINK_CLEAR;        assign src_val[16] = 32'd0;

    reg link_err;
    always @(posedge clk)
        link_err <= (n_crc | n_frame_err | n_uart | n_overrun | n_timeout) != 16'd0;
    wire [31:0] status_word = ({31'd0, link_err} << F_STATUS_LINK_ERR) |
                              ({31'd0, dsp_ready} << F_STATUS_DSP_READY) |
                              ({31'd0, CLK_EXACT != 0} << F_STATUS_CLK_EXACT) |
                              ({31'd0, pll_lock} << F_STATUS_PLL_LOCK);

    integer k;
    always @(posedge clk)
        for (k = 0; k < NSRC; k = k + 1)
            rsel[k] <= bus_addr == src_addr[k];

    reg [31:0] reg_q, ram_q2, or_acc;
    reg        ram_sel;
    always @* begin
        or_acc = 32'd0;
        for (k = 0; k < NSRC; k = k + 1)
            or_acc = or_acc | ({32{rsel[k]}} & src_val[k]);
    end
    always @(posedge clk) begin
        ram_q2  <= ram_q;
        ram_sel <= d_ram;
        reg_q   <= or_acc;
    end
    assign bus_rdata = ram_sel ? ram_q2 : reg_q;
endmodule
