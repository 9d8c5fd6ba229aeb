package io.tiergate.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an ffmpeg program says is wrong, as a caller is told it: without the spool file's path, and whole otherwise. */
class ToolRunTest {

    @Test
    void thePathALineStartsWithIsLeftOut() {
        assertThat(ToolRun.reasonIn("[error] /tmp/spool/3f2a.upload: Invalid data found when processing input\n"))
                .isEqualTo("Invalid data found when processing input");
    }

    @Test
    void aDecodersMessageIsKeptWhole() {
        assertThat(ToolRun.reasonIn("[pcm_s16le @ 0x5595] [error] Too many channels: 65535\n    Last message repeated 1 times\n"))
                .isEqualTo("Too many channels: 65535");
    }
}
