package dev.ganeval.core.data;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Iterator;

/** An image folder as a {@link SampleSource}: its file count known up front, its images decoded a batch at a time. */
final class FolderSource implements SampleSource {
    private final ImageFolder folder;
    private final String name;

    FolderSource(ImageFolder folder, String name) {
        this.folder = folder;
        this.name = name;
    }

    @Override
    public FloatMatrix read() {
        return folder.readAll();
    }

    @Override
    public long rowCount() {
        return folder.size();
    }

    @Override
    public Iterator<FloatMatrix> batches(int batchSize) {
        return folder.batches(batchSize);
    }

    @Override
    public int channels() {
        return folder.channels();
    }

    @Override
    public int height() {
        return folder.height();
    }

    @Override
    public int width() {
        return folder.width();
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public boolean imageFolder() {
        return true;
    }
}
