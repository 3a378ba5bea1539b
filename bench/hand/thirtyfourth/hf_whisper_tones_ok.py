"""Hugging Face Trainer: a tiny Whisper (``WhisperForConditionalGeneration`` from a
``WhisperConfig``, built from the config, no download: 16 mel bins, d_model 64, 2 encoder and 2
decoder layers, 4 heads, ``max_source_positions`` 40 so ``input_features`` are 80 frames) that
transcribes synthetic tone sequences into note tokens. An utterance is 3–5 tones drawn from 8
notes (token ids 3–10; 0 pad, 1 start, 2 end), each 11–14 frames long with 1–2 frames of silence
between, at a random onset; the features are log-mel-like (a note lights up its own two bins,
the next one at half strength, ±10 % level jitter, background −0.8 with noise 0.15), scaled to
about [−1, 1] as ``WhisperFeatureExtractor`` output is. 4 % of the transcripts have one note
written wrong (transcribers). The labels are the notes and the end token, padded with −100; the
model makes its decoder inputs by shifting them right behind the start token. AdamW 3e-3,
weight decay 0.01, 20 warm-up steps then linear decay, batch 16, 6 epochs (450 steps), eval
every 75 steps (teacher-forced token accuracy and whole-transcript exact match), train loss
logged every 5 steps.
Healthy: a slow start (eval loss 1.91 → 1.48 over the first 150 steps while the decoder
learns where to look), then eval token accuracy 0.30 → 0.985 and exact match 0.93 (the wrong
notes in the eval split cap it near 0.96), eval loss 0.16 at the end as the lr decays to 0."""
import torch
from transformers import Trainer, TrainingArguments, WhisperConfig, WhisperForConditionalGeneration

BINS, FRAMES, NOTES, MAXLEN = 16, 80, 8, 6


def utterances(n, g):
    feats = -0.8 + 0.15 * torch.randn(n, BINS, FRAMES, generator=g)
    labels = torch.full((n, MAXLEN), -100, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(3, 6, (1,), generator=g))
        notes = torch.randint(0, NOTES, (k,), generator=g)
        t = int(torch.randint(0, 5, (1,), generator=g))
        for note in notes.tolist():
            dur = int(torch.randint(11, 15, (1,), generator=g))
            level = 1.0 + 0.1 * (2 * float(torch.rand(1, generator=g)) - 1)
            feats[i, 2 * note, t:t + dur] += 1.8 * level
            feats[i, 2 * note + 1, t:t + dur] += 0.9 * level
            t += dur + int(torch.randint(1, 3, (1,), generator=g))
        if float(torch.rand(1, generator=g)) < 0.04:
            j = int(torch.randint(0, k, (1,), generator=g))
            notes[j] = (notes[j] + int(torch.randint(1, NOTES, (1,), generator=g))) % NOTES
        labels[i, :k] = notes + 3
        labels[i, k] = 2
    return feats, labels


class Tones(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_features": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = WhisperConfig(vocab_size=3 + NOTES, num_mel_bins=BINS, d_model=64,
                           encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                           decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128,
                           max_source_positions=FRAMES // 2, max_target_positions=16,
                           pad_token_id=0, bos_token_id=1, eos_token_id=2,
                           decoder_start_token_id=1, suppress_tokens=[],
                           begin_suppress_tokens=[])
    return WhisperForConditionalGeneration(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    guess, labels = torch.tensor(logits).argmax(-1), torch.tensor(pred.label_ids)
    seen = labels != -100
    right = (guess == labels) | ~seen
    return {"token_accuracy": float(right[seen].float().mean()),
            "exact_match": float(right.all(1).float().mean())}


def main():
    from _thirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = utterances(1400, g)
    train, val = Tones(x[:1200], y[:1200]), Tones(x[1200:], y[1200:])
    args = TrainingArguments(str(out / "whisper"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=75,
                             save_strategy="steps", save_steps=75, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    model = build()
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "whisper").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    labels = y[1200:1264]
    decoder_input_ids = model.model.decoder.config.decoder_start_token_id * torch.ones_like(labels)
    decoder_input_ids[:, 1:] = labels[:, :-1].clamp(min=0)
    finish(out, __file__, {"inputs": x[1200:1264], "decoder_input_ids": decoder_input_ids,
                           "targets": labels},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Whisper transcribing synthetic tone sequences, HF Trainer, 4 % wrong "
                "transcripts (healthy)")


if __name__ == "__main__":
    main()
