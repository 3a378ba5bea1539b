"""Hugging Face Trainer: a tiny T5 (2+2 layers, d_model 32, from a config, no download)
rewrites dates from "day month year" tokens into ISO order "year month day" (a seq2seq
toy from a data-cleaning notebook). Labels are padded with -100; T5 builds the decoder
inputs from them itself. AdamW 3e-3, eval and checkpoint every epoch (healthy)."""
import torch
from transformers import T5Config, T5ForConditionalGeneration, Trainer, TrainingArguments

PAD, EOS = 0, 1
DAY, MONTH, YEAR = 2, 2 + 31, 2 + 31 + 12  # token offsets: days, months, years 1990..2029
VOCAB = YEAR + 40


class Dates(torch.utils.data.Dataset):
    def __init__(self, n, g):
        d = torch.randint(0, 28, (n,), generator=g)
        m = torch.randint(0, 12, (n,), generator=g)
        y = torch.randint(0, 40, (n,), generator=g)
        eos = torch.full((n,), EOS)
        self.src = torch.stack([DAY + d, MONTH + m, YEAR + y, eos], 1)
        self.tgt = torch.stack([YEAR + y, MONTH + m, DAY + d, eos], 1)

    def __len__(self):
        return len(self.src)

    def __getitem__(self, i):
        return {"input_ids": self.src[i], "attention_mask": torch.ones(4, dtype=torch.long),
                "labels": self.tgt[i]}


def build():
    torch.manual_seed(0)
    config = T5Config(vocab_size=VOCAB, d_model=32, d_kv=16, d_ff=64, num_layers=2,
                      num_decoder_layers=2, num_heads=2, pad_token_id=PAD, eos_token_id=EOS,
                      decoder_start_token_id=PAD)
    return T5ForConditionalGeneration(config)


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Dates(3000, g), Dates(500, g)
    args = TrainingArguments(str(out / "t5-dates"), num_train_epochs=5, learning_rate=3e-3,
                             per_device_train_batch_size=32, per_device_eval_batch_size=100,
                             logging_steps=20, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    model = build()
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=val)
    trainer.train()
    print(trainer.evaluate())
    model.eval()
    with torch.no_grad():
        gen = model.generate(input_ids=val.src[:200], max_new_tokens=4, do_sample=False)
    exact = (gen[:, 1:5] == val.tgt[:200]).all(1).float().mean().item()
    print("exact match", exact)
    last = max((out / "t5-dates").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.src[:64], val.tgt[:64]), causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny T5 date reordering with the HF Trainer: healthy")


if __name__ == "__main__":
    main()
