package io.timeshard.accessnode.demo;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page compression without Hadoop: parquet-java's own {@code CodecFactory} goes through
 * Hadoop's {@code CompressionCodec} classes and builds a Hadoop {@code Configuration}, which needs
 * all of Hadoop's runtime (woodstox, commons-configuration, ...). This factory calls the codec
 * libraries directly, as the Apache Parquet format specification ({@code Compression.md}) defines
 * each codec's page bytes: ZSTD is a Zstandard frame (zstd-jni), SNAPPY is Snappy's raw block
 * format (snappy-java), GZIP is an RFC 1952 stream (the JDK), UNCOMPRESSED is the bytes as they are.
 * Any other codec (LZO, BROTLI, LZ4, LZ4_RAW) fails with an {@link IOException} naming it.
 *
 * <p>Stateless apart from the ZSTD level; one instance may serve many readers and writers at once.
 */
final class ParquetPageCodecs implements CompressionCodecFactory {
    /** Zstandard's own default level, also parquet-java's. */
    static final int DEFAULT_ZSTD_LEVEL = 3;

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new Decompressor(codec);
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new Compressor(codec);
    }

    @Override
    public void release() {
        // nothing pooled
    }

    private static byte[] decompress(CompressionCodecName codec, byte[] in, int decompressedSize) throws IOException {
        byte[] out = switch (codec) {
            case UNCOMPRESSED -> in;
            case ZSTD -> Zstd.decompress(in, decompressedSize);
            case SNAPPY -> Snappy.uncompress(in);
            case GZIP -> {
                try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(in))) {
                    yield gz.readNBytes(decompressedSize);
                }
            }
            default -> throw unsupported(codec);
        };
        if (out.length != decompressedSize) {
            throw new IOException("parquet page compressed with " + codec + " gave " + out.length
                    + " bytes, its header says " + decompressedSize);
        }
        return out;
    }

    private static IOException unsupported(CompressionCodecName codec) {
        return new IOException("parquet compression codec " + codec + " is not supported here"
                + " (UNCOMPRESSED, SNAPPY, GZIP and ZSTD are)");
    }

    private record Decompressor(CompressionCodecName codec) implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            return BytesInput.from(ParquetPageCodecs.decompress(codec, bytes.toByteArray(), decompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(ParquetPageCodecs.decompress(codec, in, decompressedSize));
        }

        @Override
        public void release() {
            // nothing held
        }
    }

    private record Compressor(CompressionCodecName codec) implements BytesInputCompressor {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            return switch (codec) {
                case UNCOMPRESSED -> bytes;
                case ZSTD -> BytesInput.from(Zstd.compress(bytes.toByteArray(), DEFAULT_ZSTD_LEVEL));
                case SNAPPY -> BytesInput.from(Snappy.compress(bytes.toByteArray()));
                case GZIP -> {
                    ByteArrayOutputStream sink = new ByteArrayOutputStream();
                    try (GZIPOutputStream gz = new GZIPOutputStream(sink)) {
                        bytes.writeAllTo(gz);
                    }
                    yield BytesInput.from(sink.toByteArray());
                }
                default -> throw unsupported(codec);
            };
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
            // nothing held
        }
    }
}
