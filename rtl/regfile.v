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
    // register bus (see link_exec)
    input  wire [15:0] bus_addr,
    input  wire [31:0] bus_wdata,
    input  wire        bus_we,
    input  wire        bus_re,
    output wire [31:0] bus_rdata,
    output reg         bus_rd_ok,
    output reg         bus_wr_ok,
    output wire        bus_value_ok,
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

    // ---- decode: which addresses exist, which take writes, which bits a write may set
    localparam [31:0] SCRATCH_RAM_MASK32 = BLK_SCRATCH_RAM_SIZE - 1;
    localparam [15:0] SCRATCH_RAM_MASK = SCRATCH_RAM_MASK32[15:0];
    wire in_scratch_ram = (bus_addr & ~SCRATCH_RAM_MASK) == BLK_SCRATCH_RAM_BASE;
    reg [31:0] wmask;

    always @* begin
        bus_rd_ok = 1'b1;
        bus_wr_ok = 1'b0;
        wmask     = 32'h0;
        case (bus_addr)
            REG_ID, REG_VERSION, REG_BUILD, REG_SYSCLK, REG_CAPS, REG_STATUS, REG_UPTIME,
            REG_LINK_FRAMES, REG_LINK_CRC_ERRORS, REG_LINK_FRAME_ERRORS, REG_LINK_UART_ERRORS,
            REG_LINK_OVERRUNS, REG_LINK_TIMEOUTS, REG_LINK_DUPLICATES: ;
            REG_CTRL:       begin bus_wr_ok = 1'b1; wmask = REG_CTRL_WMASK;       end
            REG_SCRATCH:    begin bus_wr_ok = 1'b1; wmask = REG_SCRATCH_WMASK;    end
            REG_LINK_CLEAR: begin bus_wr_ok = 1'b1; wmask = REG_LINK_CLEAR_WMASK; end
            default: begin
                bus_rd_ok = in_scratch_ram;
                bus_wr_ok = in_scratch_ram;
                wmask     = 32'hFFFF_FFFF;
            end
        endcase
    end

    assign bus_value_ok = (bus_wdata & ~wmask) == 32'h0;

    // ---- registers
    reg [31:0] scratch;
    reg [31:0] uptime_ms;
    reg [MS_W-1:0] ms_prescale;
    wire clear_link = bus_we && bus_addr == REG_LINK_CLEAR && bus_wdata[F_LINK_CLEAR_ALL];

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
            if (bus_we && bus_addr == REG_CTRL) begin
                ctrl_mute  <= bus_wdata[F_CTRL_MUTE];
                soft_reset <= bus_wdata[F_CTRL_SOFT_RESET];
            end
            if (bus_we && bus_addr == REG_SCRATCH)
                scratch <= bus_wdata;
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
        if (bus_we && in_scratch_ram)
            scratch_ram[bus_addr[RAM_AW-1:0]] <= bus_wdata;
        ram_q <= scratch_ram[bus_addr[RAM_AW-1:0]];
    end

    // ---- read mux, registered: data is valid the cycle after bus_re
    reg [31:0] reg_q;
    reg        ram_sel;
    always @(posedge clk) begin
        if (bus_re) begin
            ram_sel <= in_scratch_ram;
            case (bus_addr)
                REG_ID:                reg_q <= REG_ID_RESET;
                REG_VERSION:           reg_q <= REG_VERSION_RESET;
                REG_BUILD:             reg_q <= BUILD_HASH;
                REG_SYSCLK:            reg_q <= SYS_CLK_HZ;
                REG_CAPS:              reg_q <= REG_CAPS_RESET;
                REG_CTRL:              reg_q <= {31'd0, ctrl_mute} << F_CTRL_MUTE;
                REG_STATUS:            reg_q <= ({31'd0, dsp_ready} << F_STATUS_DSP_READY) |
                                                ({31'd0, CLK_EXACT != 0} << F_STATUS_CLK_EXACT) |
                                                ({31'd0, pll_lock} << F_STATUS_PLL_LOCK);
                REG_UPTIME:            reg_q <= uptime_ms;
                REG_SCRATCH:           reg_q <= scratch;
                REG_LINK_FRAMES:       reg_q <= {16'd0, n_frames};
                REG_LINK_CRC_ERRORS:   reg_q <= {16'd0, n_crc};
                REG_LINK_FRAME_ERRORS: reg_q <= {16'd0, n_frame_err};
                REG_LINK_UART_ERRORS:  reg_q <= {16'd0, n_uart};
                REG_LINK_OVERRUNS:     reg_q <= {16'd0, n_overrun};
                REG_LINK_TIMEOUTS:     reg_q <= {16'd0, n_timeout};
                REG_LINK_DUPLICATES:   reg_q <= {16'd0, n_dup};
                default:               reg_q <= 32'd0;
            endcase
        end
    end
    assign bus_rdata = ram_sel ? ram_q : reg_q;
endmodule
