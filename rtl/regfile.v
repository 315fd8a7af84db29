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
    // register bus (see link_exec): rd_ok/wr_ok judge the address of the cycle before,
    // value_ok the data of the cycle before against the address of the cycle before that
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

    // ---- decode, pipelined: stage 1 splits the address into its page and the byte within it,
    // stage 2 judges that byte. rd_ok/wr_ok/wmask are valid two cycles after bus_addr.
    localparam [31:0] SCRATCH_PAGE32 = {16'd0, BLK_SCRATCH_RAM_BASE} >> 8;
    localparam [7:0]  SCRATCH_PAGE   = SCRATCH_PAGE32[7:0];

    reg       d_page0, d_ram;   // stage 1
    reg [7:0] d_idx;
    reg [31:0] wmask;           // stage 2
    always @(posedge clk) begin
        d_page0 <= bus_addr[15:8] == 8'h00;
        d_ram   <= bus_addr[15:8] == SCRATCH_PAGE;
        d_idx   <= bus_addr[7:0];
    end

    always @(posedge clk) begin
        bus_rd_ok <= d_ram;
        bus_wr_ok <= d_ram;
        wmask     <= d_ram ? 32'hFFFF_FFFF : 32'h0;
        if (d_page0) begin
            case (d_idx)
                REG_ID[7:0], REG_VERSION[7:0], REG_BUILD[7:0], REG_SYSCLK[7:0], REG_CAPS[7:0],
                REG_STATUS[7:0], REG_UPTIME[7:0], REG_LINK_FRAMES[7:0], REG_LINK_CRC_ERRORS[7:0],
                REG_LINK_FRAME_ERRORS[7:0], REG_LINK_UART_ERRORS[7:0], REG_LINK_OVERRUNS[7:0],
                REG_LINK_TIMEOUTS[7:0], REG_LINK_DUPLICATES[7:0]:
                    bus_rd_ok <= 1'b1;
                REG_CTRL[7:0]:       begin bus_rd_ok <= 1'b1; bus_wr_ok <= 1'b1; wmask <= REG_CTRL_WMASK;       end
                REG_SCRATCH[7:0]:    begin bus_rd_ok <= 1'b1; bus_wr_ok <= 1'b1; wmask <= REG_SCRATCH_WMASK;    end
                REG_LINK_CLEAR[7:0]: begin bus_rd_ok <= 1'b1; bus_wr_ok <= 1'b1; wmask <= REG_LINK_CLEAR_WMASK; end
                default: ;
            endcase
        end
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
    wire w_page0 = w_en && d_page0;
    wire w_ram   = w_en && d_ram;
    reg  clear_link;
    always @(posedge clk)
        clear_link <= w_page0 && d_idx == REG_LINK_CLEAR[7:0] && w_data[F_LINK_CLEAR_ALL];

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
            if (w_page0 && d_idx == REG_CTRL[7:0]) begin
                ctrl_mute  <= w_data[F_CTRL_MUTE];
                soft_reset <= w_data[F_CTRL_SOFT_RESET];
            end
            if (w_page0 && d_idx == REG_SCRATCH[7:0])
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

    // ---- read mux: the data is valid two cycles after the address (stage 1 is d_*, above).
    // Reads have no side effects, so there is no read strobe.
    reg [31:0] reg_q, ram_q2;
    reg        ram_sel;
    always @(posedge clk) begin
        ram_q2  <= ram_q;
        ram_sel <= d_ram;
        reg_q   <= 32'd0;
        if (d_page0) begin
            case (d_idx)
                REG_ID[7:0]:                reg_q <= REG_ID_RESET;
                REG_VERSION[7:0]:           reg_q <= REG_VERSION_RESET;
                REG_BUILD[7:0]:             reg_q <= BUILD_HASH;
                REG_SYSCLK[7:0]:            reg_q <= SYS_CLK_HZ;
                REG_CAPS[7:0]:              reg_q <= REG_CAPS_RESET;
                REG_CTRL[7:0]:              reg_q <= {31'd0, ctrl_mute} << F_CTRL_MUTE;
                REG_STATUS[7:0]:            reg_q <= ({31'd0, dsp_ready} << F_STATUS_DSP_READY) |
                                                     ({31'd0, CLK_EXACT != 0} << F_STATUS_CLK_EXACT) |
                                                     ({31'd0, pll_lock} << F_STATUS_PLL_LOCK);
                REG_UPTIME[7:0]:            reg_q <= uptime_ms;
                REG_SCRATCH[7:0]:           reg_q <= scratch;
                REG_LINK_FRAMES[7:0]:       reg_q <= {16'd0, n_frames};
                REG_LINK_CRC_ERRORS[7:0]:   reg_q <= {16'd0, n_crc};
                REG_LINK_FRAME_ERRORS[7:0]: reg_q <= {16'd0, n_frame_err};
                REG_LINK_UART_ERRORS[7:0]:  reg_q <= {16'd0, n_uart};
                REG_LINK_OVERRUNS[7:0]:     reg_q <= {16'd0, n_overrun};
                REG_LINK_TIMEOUTS[7:0]:     reg_q <= {16'd0, n_timeout};
                REG_LINK_DUPLICATES[7:0]:   reg_q <= {16'd0, n_dup};
                default: ;
            endcase
        end
    end
    assign bus_rdata = ram_sel ? ram_q2 : reg_q;
endmodule
