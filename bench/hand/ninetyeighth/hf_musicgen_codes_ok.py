"""Hugging Face Trainer: a tiny MusicGen decoder (``MusicgenForCausalLM`` from a
``MusicgenDecoderConfig``: 2 codebooks of 32 codes, hidden 64, 2 layers, 4 heads, sinusoidal
positions, built from the config, no pre-training, no download) learns to continue synthetic
audio-codec token streams. Each clip is 32 frames: codebook 0 plays an arpeggio (a start code
and a step of 1–4 codes per frame, modulo 32), codebook 1 is codebook 0 of the previous frame
shifted by 7 codes (the coarse-to-fine dependence of real codec streams); 8 % of the codes are
replaced by random ones (codec glitches). Labels are the codes themselves; the model shifts them
right behind a BOS (code 32) and averages the per-codebook cross-entropy. AdamW 3e-3, weight
decay 0.01, 20 warm-up steps then cosine, batch 32, 10 epochs of 768 clips, eval every 24 steps,
train loss every 6 steps.
Healthy, with a slow start: the train loss sits at ln 32 ≈ 3.47 for the first 24 steps (eval
loss 3.33 after epoch 1), then falls: eval loss 1.76, 1.33, 1.18, 1.09, 1.03, 1.00, 0.98, 0.97,
0.97 over epochs 2–10, train loss 0.86 at step 240. The glitches set a floor: a fully
predictable code still costs 0.54 nats (8 % of labels random), and the first frame of each
codebook cannot be predicted, so ~0.65 is about the best possible."""
import torch
from transformers import MusicgenDecoderConfig, MusicgenForCausalLM, Trainer, TrainingArguments

V, K, T = 32, 2, 32


def codec_clips(n, g, glitch=0.08):
    start = torch.randint(0, V, (n, 1), generator=g)
    step = torch.randint(1, 5, (n, 1), generator=g)
    c0 = (start + step * torch.arange(T)) % V
    c1 = torch.cat([torch.randint(0, V, (n, 1), generator=g), (c0[:, :-1] + 7) % V], 1)
    codes = torch.stack([c0, c1], -1)
    bad = torch.rand(codes.shape, generator=g) < glitch
    return torch.where(bad, torch.randint(0, V, codes.shape, generator=g), codes)


class Clips(torch.utils.data.Dataset):
    def __init__(self, codes):
        self.codes = codes

    def __len__(self):
        return len(self.codes)

    def __getitem__(self, i):
        return {"labels": self.codes[i]}


def build():
    torch.manual_seed(0)
    config = MusicgenDecoderConfig(vocab_size=V, num_codebooks=K, hidden_size=64,
                                   num_hidden_layers=2, num_attention_heads=4, ffn_dim=128,
                                   max_position_embeddings=T + 1, dropout=0.0,
                                   pad_token_id=V, bos_token_id=V)
    return MusicgenForCausalLM(config)


def main():
    from _ninetyeighth import finish, out_dir
    from transformers.models.musicgen.modeling_musicgen import shift_tokens_right
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = codec_clips(768, g), codec_clips(192, g)
    args = TrainingArguments(str(out / "codes"), num_train_epochs=10, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=240, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Clips(train),
                      eval_dataset=Clips(val))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "codes").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    labels = val[:64]
    input_ids = shift_tokens_right(labels, V, V).reshape(-1, T)
    finish(out, __file__, {"inputs": input_ids, "targets": labels},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MusicGen decoder on 2-codebook codec streams, HF Trainer, 8 % glitches "
                "(healthy)")


if __name__ == "__main__":
    main()
