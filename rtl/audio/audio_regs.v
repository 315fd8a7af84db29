// The audio settings and status of regs/regmap.def (page 0x0020-0x003F) as a register bus
// target: read-back from one block RAM, so a read is a RAM read and there is no read
// multiplexer. What the datapath uses every cycle or every sample (source, routing, polarity,
// topology, slot width, the tone's step and level, the oversampling) is also kept in
// flip-flops, written with the RAM. After a reset every word gets
// its reset value again, RAM and flip-flops alike. AUDIO_STATUS is live: its bits come from
// the datapath over the RAM word (which stays zero).
`default_nettype none

module audio_regs (
    input  wire        clk,
    input  wire        rst,
    // register bus target (docs/buses.md)
    input  wire        req,
    input  wire [1:0]  op,
    input  wire [4:0]  addr,
    input  wire [31:0] wdata,
    output reg         ack,
    output reg  [1:0]  resp,
    output wire [31:0] rdata,
    // settings
    output reg  [1:0]  source,
    output reg  [2:0]  route_mode,
    output reg         invert_l,
    output reg         invert_r,
    output reg  [1:0]  topology,
    output reg         slot24,
    output reg  [31:0] tone_inc,
    output reg  [7:0]  tone_atten,
    output reg  [1:0]  ratio,
    output reg         nos,
    // status
    input  wire [2:0]  in_rate,
    input  wire        in_locked,
    input  wire [1:0]  in_slot,
    input  wire [2:0]  out_rate,
    input  wire [1:0]  out_ratio,
    input  wire        filter_ready
);
    `include "regmap.vh"
    `include "bus.vh"

    localparam [2:0] PAGE = REG_AUDIO_SOURCE[7:5];  // the window's address bits above addr
    initial if (REG_AUDIO_SOURCE[15:5] != {8'd0, PAGE} || REG_AUDIO_STATUS[15:5] != {8'd0, PAGE})
        $error("the audio registers must share one 32-word window");

    function automatic [7:0] page_addr(input [4:0] a);
        page_addr = {PAGE, a};
    endfunction

    (* no_rw_check *) reg [31:0] mem [0:31];
    integer i;
    initial for (i = 0; i < 32; i = i + 1)
        mem[i] = rm_reset(page_addr(i[4:0]));
    reg  [4:0]  raddr;
    reg  [31:0] rq;
    reg         we;
    reg  [4:0]  waddr;
    reg  [31:0] wd;
    always @(posedge clk) begin
        rq <= mem[raddr];
        if (we)
            mem[waddr] <= wd;
    end

    localparam [2:0] S_SWEEP = 3'd0, S_IDLE = 3'd1, S_BUS = 3'd2, S_JUDGE = 3'd3, S_ACK = 3'd4;
    reg [2:0] state;
    // the judgement, registered first: the value checks are off the path to the answer
    reg       readable, writable, code_ok, is_write;
    reg [7:0] stray;  // bits outside the fields, in groups of four (judged a cycle later)
    reg [4:0] sweep_a;
    reg       status_sel;
    reg       pending;  // a request came (while the sweep ran, or now)
    // a write of a register the datapath reads: which one, decoded the cycle before it acts
    reg       wr_source, wr_route, wr_topology, wr_format, wr_freq, wr_level, wr_oversample;

    always @(posedge clk) begin
        we  <= 1'b0;
        ack <= 1'b0;
        if (rst) begin
            state       <= S_SWEEP;
            sweep_a     <= 5'd0;
            pending     <= 1'b0;
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
        end else begin
            if (req)
                pending <= 1'b1;
            case (state)
                S_SWEEP: begin
                    we      <= 1'b1;
                    waddr   <= sweep_a;
                    wd      <= rm_reset(page_addr(sweep_a));
                    sweep_a <= sweep_a + 5'd1;
                    if (sweep_a == 5'd31)
                        state <= S_IDLE;
                end
                S_IDLE:
                    if (pending) begin
                        pending <= 1'b0;
                        raddr   <= addr;
                        state   <= S_BUS;
                    end
                S_BUS: begin  // from raddr, registered here: the master's address is far away
                    readable    <= rm_readable(page_addr(raddr));
                    writable    <= rm_writable(page_addr(raddr));
                    code_ok     <= rm_code_ok(page_addr(raddr), wdata);
                    stray       <= stray_groups(wdata & ~rm_wmask(page_addr(raddr)));
                    is_write    <= op == BUS_WRITE;
                    wd          <= wdata & rm_rmask(page_addr(raddr));
                    status_sel  <= raddr == REG_AUDIO_STATUS[4:0];
                    wr_source   <= op == BUS_WRITE && raddr == REG_AUDIO_SOURCE[4:0];
                    wr_route    <= op == BUS_WRITE && raddr == REG_ROUTE[4:0];
                    wr_topology <= op == BUS_WRITE && raddr == REG_TOPOLOGY[4:0];
                    wr_format   <= op == BUS_WRITE && raddr == REG_OUT_FORMAT[4:0];
                    wr_freq     <= op == BUS_WRITE && raddr == REG_TONE_FREQ[4:0];
                    wr_level    <= op == BUS_WRITE && raddr == REG_TONE_LEVEL[4:0];
                    wr_oversample <= op == BUS_WRITE && raddr == REG_OVERSAMPLE[4:0];
                    state       <= S_JUDGE;
                end
                S_JUDGE: begin
                    // the RAM read of addr is done; answer, or write (checked before)
                    case (op)
                        BUS_READ, BUS_CHECK_RD:
                            resp <= readable ? BUS_OK : BUS_BAD_ADDR;
                        BUS_CHECK_WR:
                            resp <= !writable ? BUS_BAD_ADDR : !(code_ok && stray == 8'd0) ? BUS_BAD_VALUE : BUS_OK;
                        default: begin
                            resp  <= BUS_OK;
                            we    <= is_write;
                            waddr <= addr;
                        end
                    endcase
                    state <= S_ACK;
                end
                default: begin  // S_ACK: the answer, and the settings act
                    ack <= 1'b1;
                    if (wr_source)
                        source <= wdata[F_AUDIO_SOURCE_SOURCE +: 2];
                    if (wr_route) begin
                        route_mode <= wdata[F_ROUTE_MODE +: 3];
                        invert_l   <= wdata[F_ROUTE_INVERT_LEFT];
                        invert_r   <= wdata[F_ROUTE_INVERT_RIGHT];
                    end
                    if (wr_topology)
                        topology <= wdata[F_TOPOLOGY_MODE +: 2];
                    if (wr_format)
                        slot24 <= wdata[F_OUT_FORMAT_SLOT];
                    if (wr_freq)
                        tone_inc <= wdata;
                    if (wr_level)
                        tone_atten <= wdata[F_TONE_LEVEL_ATTEN +: 8];
                    if (wr_oversample) begin
                        ratio <= wdata[F_OVERSAMPLE_RATIO +: 2];
                        nos   <= wdata[F_OVERSAMPLE_NOS];
                    end
                    state <= S_IDLE;
                end
            endcase
        end
    end

    wire [31:0] status_bits = ({31'd0, filter_ready} << F_AUDIO_STATUS_FILTER_READY) |
                              ({30'd0, out_ratio} << F_AUDIO_STATUS_OUT_RATIO) |
                              ({29'd0, out_rate}  << F_AUDIO_STATUS_OUT_RATE) |
                              ({30'd0, in_slot}   << F_AUDIO_STATUS_SLOT_IN) |
                              ({31'd0, in_locked} << F_AUDIO_STATUS_LOCKED) |
                              ({29'd0, in_rate}   << F_AUDIO_STATUS_RATE);
    assign rdata = rq | ({32{status_sel}} & status_bits);
endmodule
