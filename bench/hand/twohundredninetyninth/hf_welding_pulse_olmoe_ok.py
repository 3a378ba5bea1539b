"""Hugging Face Trainer: a tiny OLMoE causal language model (``OlmoeConfig``: vocabulary 24,
hidden 48, 2 layers, 4 heads, 4 experts with 2 active per token, built from the config, no
download; ``OlmoeForCausalLM``) learns the current waveform of pulsed MIG welding one sample
at a time, so the power source team can score logged waveforms by their surprise (a poorly
predicted stretch is a missed droplet detachment or a short circuit). Each record starts with
a token for the synergic programme (wire feed 4-9 m/min, which sets the pulse period, 5-10
samples), then repeats: base current for the rest of the period, a 1-sample ramp, a peak
held 2 samples, and a 1-sample detachment dip; now and then (1 in 12 pulses) the droplet
shorts the arc and the current drops to the short-circuit band for a sample before the next
peak. Current is quantised into 12 bands (tokens 8-19) with ±1 band of jitter on the base.
Records of 64 tokens: the programme token (2-7) and 63 current samples.
AdamW 2e-3 (weight decay 0.01), cosine schedule with 15 warmup steps, batch 24, 3 epochs of
1200 records, eval every 30 steps on 240 records (eval loss, next-token accuracy), loss every
10 steps, checkpoint every 30 steps (``waveforms/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import OlmoeConfig, OlmoeForCausalLM, Trainer, TrainingArguments

T = 64


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    out = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        prog = int(r(1) * 6)
        period = 5 + prog
        base = 10 + int(r(1) * 2)
        seq = [2 + prog]
        ph = int(r(1) * period)
        short = False
        while len(seq) < T:
            pos = ph % period
            if pos < period - 4:
                tok = base + int(torch.randint(-1, 2, (1,), generator=g))
                if pos == period - 5 and short:
                    tok = 8
            elif pos == period - 4:
                tok = 15
                short = bool(r(1) < 1 / 12)
            elif pos < period - 1:
                tok = 19
            else:
                tok = 13
            seq.append(tok)
            ph += 1
        out[i] = torch.tensor(seq[:T])
    return out


class Waves(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = OlmoeConfig(vocab_size=24, hidden_size=48, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                         num_experts=4, num_experts_per_tok=2, max_position_embeddings=T,
                         pad_token_id=0, bos_token_id=1, eos_token_id=1,
                         tie_word_embeddings=False)
    return OlmoeForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    return {"next_acc": float((p == y).mean())}


def main():
    from _twohundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = records(1200, g)
    iva = records(240, g)
    print("tokens", torch.bincount(itr.flatten(), minlength=24))
    args = TrainingArguments(str(out / "waveforms"), num_train_epochs=3, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=15, lr_scheduler_type="cosine",
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Waves(itr),
                      eval_dataset=Waves(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "waveforms").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny OLMoE causal language model over quantised pulsed-MIG welding current"
                " waveforms, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
